import { App } from 'antd';
import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from './api.js';
import { describeError } from './errors.js';

/** Sets the tab title to "<page> · <product>" in the current language. */
export function useDocumentTitle(title: string | null | undefined): void {
  const { t } = useTranslation();
  const product = t('app.fullName');
  useEffect(() => {
    document.title = title ? `${title} · ${t('app.name')}` : product;
  }, [title, product, t]);
}

export type RequestState<T> =
  | { status: 'loading'; data: T | null; error: null }
  | { status: 'ok'; data: T; error: null }
  | { status: 'error'; data: T | null; error: unknown };

/**
 * Loads data for a page and cancels the request when the inputs change or the page goes away, so a
 * slow answer for an old selection never overwrites the new one. `arrived` is an answer already at
 * hand for the first inputs (one asked for early, see app/pages.ts): the page draws it at once.
 */
export function useRequest<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList, arrived?: () => T | undefined) {
  const [first] = useState(() => arrived?.());
  const [state, setState] = useState<RequestState<T>>(first === undefined ? { status: 'loading', data: null, error: null } : { status: 'ok', data: first, error: null });
  const [attempt, setAttempt] = useState(0);
  const skip = useRef(first !== undefined);

  useEffect(() => {
    if (skip.current) {
      skip.current = false;
      return;
    }
    const controller = new AbortController();
    setState((prev) => ({ status: 'loading', data: prev.data, error: null }));
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'ok', data, error: null });
      },
      (error: unknown) => {
        if (!controller.signal.aborted && !isAbort(error)) setState((prev) => ({ status: 'error', data: prev.data, error }));
      },
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller names the inputs of `load`
  }, [...deps, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, reload };
}

/** Shows an API failure as a toast in the user's language. */
export function useErrorToast(): (err: unknown) => void {
  const { message } = App.useApp();
  const { t, i18n } = useTranslation();
  return useCallback((err: unknown) => void message.error(describeError(err, t, i18n.language)), [message, t, i18n.language]);
}

/**
 * A dialog's save: `saving` while the work runs (for the button's spinner), and a failure shown as
 * the error toast; the dialog says what succeeded itself.
 */
export function useSaving(): { saving: boolean; save: (work: () => Promise<void>) => Promise<void> } {
  const showError = useErrorToast();
  const [saving, setSaving] = useState(false);
  const save = useCallback(async (work: () => Promise<void>) => {
    setSaving(true);
    try {
      await work();
    } catch (err) {
      showError(err);
    } finally {
      setSaving(false);
    }
  }, [showError]);
  return { saving, save };
}
