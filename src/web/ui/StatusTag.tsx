import { Tag } from 'antd';
import type { ReactNode } from 'react';

export type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger' | 'brand';

const COLORS: Record<Tone, string | undefined> = {
  neutral: undefined,
  info: 'blue',
  success: 'green',
  warning: 'orange',
  danger: 'red',
  brand: 'geekblue',
};

/** A small coloured label for a state or a category; the tone says how much it matters. */
export function StatusTag({ tone = 'neutral', children, icon }: { tone?: Tone; children: ReactNode; icon?: ReactNode }) {
  return (
    <Tag color={COLORS[tone]} icon={icon} variant="filled" style={{ marginInlineEnd: 0 }}>
      {children}
    </Tag>
  );
}
