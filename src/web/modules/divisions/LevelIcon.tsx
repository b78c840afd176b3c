import { ApartmentOutlined, BankOutlined, BorderOutlined, EnvironmentOutlined, HomeOutlined } from '@ant-design/icons';
import type { DivisionLevel } from './api.js';

const ICONS: Record<DivisionLevel, typeof BankOutlined> = {
  40: EnvironmentOutlined,
  30: BankOutlined,
  20: ApartmentOutlined,
  10: HomeOutlined,
  0: BorderOutlined,
};

export function LevelIcon({ level }: { level: DivisionLevel }) {
  const Icon = ICONS[level] ?? BorderOutlined;
  return <Icon aria-hidden />;
}
