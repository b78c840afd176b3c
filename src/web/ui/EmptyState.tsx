import { Button, Empty, Result } from 'antd';
import type { ReactNode } from 'react';

/** Nothing to show yet, and (when there is one) the next thing to do about it. */
export function EmptyState({ title, description, action }: { title: ReactNode; description?: ReactNode; action?: ReactNode }) {
  return (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        <>
          <div className="og-empty-title">{title}</div>
          {description && <div className="og-empty-description">{description}</div>}
        </>
      }
    >
      {action}
    </Empty>
  );
}

/** A failed load, said in words, with a way to try again. */
export function ErrorState({ title, message, retryLabel, onRetry }: { title: ReactNode; message: ReactNode; retryLabel: ReactNode; onRetry?: () => void }) {
  return (
    <Result
      status="warning"
      title={title}
      subTitle={message}
      extra={onRetry ? <Button onClick={onRetry}>{retryLabel}</Button> : undefined}
    />
  );
}
