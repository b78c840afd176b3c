import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from 'react';

/** Short messages at the top of the screen ("已保存，联网后自动发送"), read out by screen readers. */
type Tone = 'ok' | 'warn' | 'error';
interface ToastItem {
  id: number;
  text: string;
  tone: Tone;
}

const Ctx = createContext<(text: string, tone?: Tone) => void>(() => undefined);

export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([]);
  const next = useRef(1);
  const show = useCallback((text: string, tone: Tone = 'ok') => {
    const id = next.current++;
    setItems((list) => [...list.slice(-2), { id, text, tone }]);
    window.setTimeout(() => setItems((list) => list.filter((i) => i.id !== id)), tone === 'error' ? 6000 : 3500);
  }, []);
  return (
    <Ctx.Provider value={show}>
      {children}
      <div className="fa-toasts" role="status" aria-live="polite">
        {items.map((i) => (
          <div key={i.id} className={`fa-toast fa-toast-${i.tone}`} data-testid="toast">
            {i.text}
          </div>
        ))}
      </div>
    </Ctx.Provider>
  );
}

export const useToast = () => useContext(Ctx);
