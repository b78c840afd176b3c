import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Role } from '../../shared/permissions.js';
import { api, ApiError, onUnauthenticated, setCsrfToken } from './api.js';

export interface Grant {
  role: Role;
  divisionCode: string | null;
  divisionName: string | null;
  departmentCode: string | null;
  departmentName: string | null;
}

export interface Me {
  id: number;
  username: string;
  displayName: string;
  grants: Grant[];
  permissions: string[];
  /** Those of the permissions held over the whole district. */
  districtWide: string[];
}

interface MeResponse {
  user: Me;
  csrfToken: string;
  demo: boolean;
}

interface LoginResponse {
  user: Me;
  csrfToken: string;
}

export type AuthState =
  | { status: 'loading' }
  | { status: 'signedOut'; reason: 'none' | 'expired' | 'signedOut' }
  | { status: 'signedIn'; user: Me };

interface AuthContextValue {
  state: AuthState;
  /** The signed-in user; only call inside pages that sit behind RequireAuth. */
  user: Me;
  /** Holds the permission somewhere; with 'district', over the whole district. */
  can: (permission: string, reach?: 'district') => boolean;
  signIn: (username: string, password: string) => Promise<Me>;
  signOut: () => Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    api
      .get<MeResponse>('/api/auth/me', undefined, controller.signal)
      .then((me) => {
        setCsrfToken(me.csrfToken);
        setState({ status: 'signedIn', user: me.user });
      })
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        // Anything but a clear answer still lands on sign-in, where a retry will show the real error.
        if (!(err instanceof ApiError) || err.code !== 'unauthenticated') console.warn('session check failed', err);
        setState({ status: 'signedOut', reason: 'none' });
      });
    return () => controller.abort();
  }, []);

  // A session can end under our feet (expiry, sign-out in another tab): any 401 sends us to sign-in.
  useEffect(
    () =>
      onUnauthenticated(() => {
        setCsrfToken(null);
        setState((prev) => (prev.status === 'signedIn' ? { status: 'signedOut', reason: 'expired' } : prev));
      }),
    [],
  );

  const signIn = useCallback(async (username: string, password: string) => {
    const res = await api.post<LoginResponse>('/api/auth/login', { username, password });
    setCsrfToken(res.csrfToken);
    setState({ status: 'signedIn', user: res.user });
    return res.user;
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.post<void>('/api/auth/logout');
    } finally {
      // Even if the server is unreachable, this browser stops acting as the user.
      setCsrfToken(null);
      setState({ status: 'signedOut', reason: 'signedOut' });
    }
  }, []);

  const value = useMemo<AuthContextValue>(() => {
    const permissions = new Set(state.status === 'signedIn' ? state.user.permissions : []);
    const districtWide = new Set(state.status === 'signedIn' ? state.user.districtWide : []);
    return {
      state,
      get user(): Me {
        if (state.status !== 'signedIn') throw new Error('useAuth().user read while signed out');
        return state.user;
      },
      can: (permission, reach) => (reach === 'district' ? districtWide : permissions).has(permission),
      signIn,
      signOut,
    };
  }, [state, signIn, signOut]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
