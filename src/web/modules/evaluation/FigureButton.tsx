import { Button } from 'antd';
import { useTranslation } from 'react-i18next';

/**
 * A figure that opens the cases behind it, in a ranking or a chart's table: a button reached with
 * Tab and used with Enter, named with the figure first, as it is read on screen (a voice user says
 * what they see), then what it opens.
 */
export function FigureButton({ shown, name, indicator, onClick }: { shown: string; name: string; indicator: string; onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <Button type="link" size="small" className="og-eval-link og-tabular" aria-label={t('evaluation.dashboard.casesBehind', { value: shown, name, indicator })} onClick={onClick}>
      {shown}
    </Button>
  );
}
