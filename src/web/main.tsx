import { StrictMode, type ReactElement } from 'react';
import { createRoot } from 'react-dom/client';
import './app/i18n.js';
import { startConsole } from './app/pages.js';
import { reloadOnStaleCode } from './app/staleCode.js';
import { lightPageOf } from './modules/cases/field/light.js';
import './styles.css';

reloadOnStaleCode();
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
// The field app and the resident pages start without the console and its UI kit: a phone on a
// weak network downloads only their own code (modules/cases/field/light.tsx).
const light = lightPageOf(window.location.pathname);
if (!light) startConsole(window.location);
const page: Promise<ReactElement> = light ? light() : import('./app/App.js').then(({ App }) => <App />);
void page.then((element) => createRoot(root).render(<StrictMode>{element}</StrictMode>));
