import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { api } from './api.js';

export interface PublicConfig {
  demo: boolean;
  districtName: string;
  basemapUrl: string | null;
  version: string;
}

/** Facts about this installation anyone may know, even before signing in. */
const PublicConfigContext = createContext<PublicConfig | null>(null);

export function PublicConfigProvider({ children }: { children: ReactNode }) {
  const [config, setConfig] = useState<PublicConfig | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    api
      .get<PublicConfig>('/api/config/public', undefined, controller.signal)
      .then(setConfig)
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        // The shell still works without it; pages fall back to neutral wording.
        console.warn('public config unavailable', err);
      });
    return () => controller.abort();
  }, []);
  return <PublicConfigContext.Provider value={config}>{children}</PublicConfigContext.Provider>;
}

/** null until loaded, and if the server could not answer. */
export function usePublicConfig(): PublicConfig | null {
  return useContext(PublicConfigContext);
}
