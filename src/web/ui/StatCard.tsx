import { Card, Flex, Skeleton, Typography } from 'antd';
import type { ReactNode } from 'react';

interface StatCardProps {
  label: ReactNode;
  value: ReactNode;
  unit?: ReactNode;
  icon?: ReactNode;
  hint?: ReactNode;
  /** A line under the hint (the dashboard's change against the period before). */
  footer?: ReactNode;
  loading?: boolean;
}

/** One headline figure with its unit; the layout keeps figures aligned on a wall display. */
export function StatCard({ label, value, unit, icon, hint, footer, loading }: StatCardProps) {
  return (
    <Card className="og-stat-card" variant="outlined">
      <Flex gap={16} align="center">
        {icon && <div className="og-stat-icon" aria-hidden>{icon}</div>}
        <div style={{ minWidth: 0, flex: 1 }}>
          <Typography.Text type="secondary">{label}</Typography.Text>
          {loading ? (
            <Skeleton.Input active size="small" style={{ display: 'block', marginTop: 6 }} />
          ) : (
            <div className="og-stat-value">
              {value}
              {unit && <span className="og-stat-unit">{unit}</span>}
            </div>
          )}
          {hint && <Typography.Text type="secondary" className="og-stat-hint">{hint}</Typography.Text>}
          {!loading && footer}
        </div>
      </Flex>
    </Card>
  );
}
