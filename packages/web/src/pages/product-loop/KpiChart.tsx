import type { Kpi, KpiPoint } from '@meshboard/client';
import { formatPeriod, formatTarget, formatValue } from './kpiFormat';

const width = 560;
const height = 180;
const pad = { top: 14, right: 12, bottom: 26, left: 48 };

/** Rounds the top of the value axis up to 1, 2 or 5 × a power of ten. */
function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((factor) => factor * power >= value) ?? 10;
  return step * power;
}

/**
 * A KPI series as a small SVG chart: one bar per period (coloured by whether it meets the target, with
 * a text mark, not colour alone; the current, unfinished period faded) and the target as a dashed line. The image has a summary as its
 * accessible name; the periods' values are in the table beside it (the chart's text alternative).
 */
export function KpiChart({ kpi, series }: { kpi: Kpi; series: KpiPoint[] }) {
  const values = series.map((point) => point.value ?? 0);
  const top = niceCeiling(Math.max(...values, kpi.target ?? 0, kpi.unit === '%' ? 100 : 0) * (kpi.unit === '%' ? 1 : 1.1));
  const plotWidth = width - pad.left - pad.right;
  const plotHeight = height - pad.top - pad.bottom;
  const slot = plotWidth / Math.max(series.length, 1);
  const barWidth = Math.max(2, Math.min(36, slot * 0.7));
  const y = (value: number) => pad.top + plotHeight - (value / top) * plotHeight;
  const measured = series.filter((point) => point.value !== null);
  const last = measured[measured.length - 1];
  const summary = `${kpi.name}: ${measured.length} of ${series.length} periods measured${last === undefined ? '' : `, latest ${formatValue(last.value, kpi.unit)} (${formatPeriod(last.periodStart, kpi.period)})`}${kpi.target === null ? '' : `, ${formatTarget(kpi)}`}. The values are in the table.`;
  const labelEvery = Math.max(1, Math.ceil(series.length / 6));
  return (
    <svg className="kpi-chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary} preserveAspectRatio="xMidYMid meet">
      {[0, 0.5, 1].map((share) => (
        <g key={share}>
          <line x1={pad.left} x2={width - pad.right} y1={y(top * share)} y2={y(top * share)} className="kpi-grid" />
          <text x={pad.left - 6} y={y(top * share) + 4} textAnchor="end" className="kpi-axis">
            {formatValue(top * share, kpi.unit === '%' ? '%' : '')}
          </text>
        </g>
      ))}
      {series.map((point, index) => {
        const x = pad.left + slot * index + (slot - barWidth) / 2;
        const state = point.met === null ? 'neutral' : point.met ? 'met' : 'missed';
        return (
          <g key={point.periodStart}>
            {point.value === null ? (
              <text x={x + barWidth / 2} y={y(0) - 3} textAnchor="middle" className="kpi-axis">
                –
              </text>
            ) : (
              <rect x={x} y={y(point.value)} width={barWidth} height={Math.max(1, y(0) - y(point.value))} rx={2} className={`kpi-bar kpi-bar-${state}${point.inProgress ? ' kpi-bar-progress' : ''}`} />
            )}
            {index % labelEvery === 0 && (
              <text x={x + barWidth / 2} y={height - 8} textAnchor="middle" className="kpi-axis">
                {formatPeriod(point.periodStart, kpi.period, true)}
              </text>
            )}
          </g>
        );
      })}
      {kpi.target !== null && (
        <g>
          <line x1={pad.left} x2={width - pad.right} y1={y(kpi.target)} y2={y(kpi.target)} className="kpi-target" />
          <text x={width - pad.right} y={y(kpi.target) - 4} textAnchor="end" className="kpi-target-label">
            {formatTarget(kpi)}
          </text>
        </g>
      )}
    </svg>
  );
}
