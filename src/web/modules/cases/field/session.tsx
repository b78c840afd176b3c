import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, onUnauthenticated, setCsrfToken } from '../../../app/api.js';
import type { Me } from '../../../app/auth.js';
import { fetchMe, signInRequest, signOutRequest } from './api.js';
import { classifyFailure } from './offline/model.js';
import { startOutbox, stopOutbox } from './offline/outbox.js';
import { forgetSnapshots } from './offline/snapshots.js';

/**
 * The field app's session. Unlike the console it must open without a connection: the worker who
 * signed in yesterday opens the app in a basement today, files reports, and they go out later. So
 * the last signed-in user is remembered on the device, and a missing network is not a sign-out.
 * The server still decides: the first answer after the connection returns confirms or ends it.
 */
export type FieldSession =
  | { status: 'loading' }
  | { status: 'signedOut'; reason: 'none' | 'expired' | 'signedOut' | 'offline' }
  | { status: 'signedIn'; user: Me; offline: boolean };

interface SessionContext {
  session: FieldSession;
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  /** Asks the server again (a fresh CSRF token, or a check after the connection returned). */
  refresh(): Promise<void>;
}

const USER_KEY = 'onegrid.field.user';
const Ctx = createContext<SessionContext | null>(null);

function rememberedUser(): Me | null {
  try {
    const raw = localStorage.getItem(USER_KEY);
    return raw ? (JSON.parse(raw) as Me) : null;
  } catch {
    return null;
  }
}

function remember(user: Me | null) {
  try {
    if (user) localStorage.setItem(USER_KEY, JSON.stringify(user));
    else localStorage.removeItem(USER_KEY);
  } catch {
    // storage refused: the app still works while online
  }
}

export function FieldSessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<FieldSession>({ status: 'loading' });

  const refresh = useCallback(async () => {
    try {
      const me = await fetchMe();
      setCsrfToken(me.csrfToken);
      remember(me.user);
      setSession({ status: 'signedIn', user: me.user, offline: false });
    } catch (err) {
      const kind = classifyFailure(err);
      if (kind === 'offline' || kind === 'retry') {
        const user = rememberedUser();
        setSession(user ? { status: 'signedIn', user, offline: true } : { status: 'signedOut', reason: 'offline' });
        throw err;
      }
      setCsrfToken(null);
      setSession((prev) => ({ status: 'signedOut', reason: prev.status === 'signedIn' ? 'expired' : 'none' }));
      if (!(err instanceof ApiError) || err.code !== 'unauthenticated') throw err;
    }
  }, []);

  useEffect(() => {
    refresh().catch(() => undefined);
    const back = () => void refresh().catch(() => undefined);
    window.addEventListener('online', back);
    const stop = onUnauthenticated(() => {
      setCsrfToken(null);
      setSession((prev) => (prev.status === 'signedIn' ? { status: 'signedOut', reason: 'expired' } : prev));
    });
    return () => {
      window.removeEventListener('online', back);
      stop();
    };
  }, [refresh]);

  // the outbox sends for whoever is signed in, and waits while nobody is
  const userId = session.status === 'signedIn' ? session.user.id : null;
  useEffect(() => {
    if (userId === null) {
      stopOutbox();
      return;
    }
    void startOutbox(userId, refresh);
  }, [userId, refresh]);

  const signIn = useCallback(async (username: string, password: string) => {
    const res = await signInRequest(username, password);
    setCsrfToken(res.csrfToken);
    if (rememberedUser()?.id !== res.user.id) await forgetSnapshots();
    remember(res.user);
    setSession({ status: 'signedIn', user: res.user, offline: false });
  }, []);

  const signOut = useCallback(async () => {
    try {
      await signOutRequest();
    } finally {
      setCsrfToken(null);
      remember(null);
      await forgetSnapshots();
      setSession({ status: 'signedOut', reason: 'signedOut' });
    }
  }, []);

  const value = useMemo(() => ({ session, signIn, signOut, refresh }), [session, signIn, signOut, refresh]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useFieldSession(): SessionContext {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error('useFieldSession outside FieldSessionProvider');
  return ctx;
}

/** The signed-in worker; only inside pages shown to a signed-in user. */
export function useWorker(): { user: Me; offline: boolean } {
  const { session } = useFieldSession();
  if (session.status !== 'signedIn') throw new Error('useWorker while signed out');
  return { user: session.user, offline: session.offline };
}
