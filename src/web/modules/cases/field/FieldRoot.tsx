import { useEffect } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router-dom';
import { FieldLayout } from './FieldLayout.js';
import { HomePage } from './HomePage.js';
import { MePage } from './MePage.js';
import { CasePage } from './mine/CasePage.js';
import { MinePage } from './mine/MinePage.js';
import { addManifest, registerServiceWorker } from './pwa.js';
import { ReportPage } from './report/ReportPage.js';
import { FieldSessionProvider, useFieldSession } from './session.js';
import { SignInScreen } from './SignInScreen.js';
import { TaskPage } from './tasks/TaskPage.js';
import { TasksPage } from './tasks/TasksPage.js';
import { Crash } from './ui/Crash.js';
import { ToastProvider } from './ui/Toast.js';
import './styles.js';

/**
 * The grid worker's field app: one document of its own under /field, installable on the home
 * screen and able to start without a connection. Every page is in this one chunk, so once it has
 * been opened online, all of it is on the phone.
 */
const router = createBrowserRouter([
  {
    path: '/field',
    element: <FieldLayout />,
    errorElement: <Crash />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'report', element: <ReportPage /> },
      { path: 'tasks', element: <TasksPage /> },
      { path: 'tasks/:id', element: <TaskPage /> },
      { path: 'mine', element: <MinePage /> },
      { path: 'cases/:id', element: <CasePage /> },
      { path: 'me', element: <MePage /> },
      { path: '*', element: <HomePage /> },
    ],
  },
]);

function Gate() {
  const { session } = useFieldSession();
  if (session.status === 'loading') {
    return (
      <div className="fa-splash" role="status">
        <span className="fa-spinner" aria-hidden />
      </div>
    );
  }
  if (session.status === 'signedOut') return <SignInScreen reason={session.reason} />;
  return <RouterProvider router={router} />;
}

export function FieldRoot() {
  useEffect(() => {
    addManifest();
    void registerServiceWorker();
    document.documentElement.classList.add('fa-root');
    return () => document.documentElement.classList.remove('fa-root');
  }, []);
  return (
    <FieldSessionProvider>
      <ToastProvider>
        <Gate />
      </ToastProvider>
    </FieldSessionProvider>
  );
}
