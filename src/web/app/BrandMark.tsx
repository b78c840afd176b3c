/** The OneGrid mark: one net of grid cells over the district, one cell lit where work is happening. */
export function BrandMark({ size = 40, inverted = false }: { size?: number; inverted?: boolean }) {
  const frame = inverted ? '#ffffff' : '#1650a8';
  const line = inverted ? '#1650a8' : '#ffffff';
  return (
    <svg width={size} height={size} viewBox="0 0 40 40" role="img" aria-hidden focusable="false">
      <rect x="1" y="1" width="38" height="38" rx="9" fill={frame} />
      <path d="M7 15.7h26M7 24.3h26M15.7 7v26M24.3 7v26" stroke={line} strokeWidth="1.6" strokeOpacity="0.75" />
      <rect x="7" y="7" width="26" height="26" rx="3" fill="none" stroke={line} strokeWidth="2" />
      <rect x="17.2" y="17.2" width="5.6" height="5.6" rx="1" fill="#e8483b" />
    </svg>
  );
}
