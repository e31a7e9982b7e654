/**
 * Charts drawn on the server as SVG (ADR 027): no chart library, no
 * JavaScript. Each is a <figure> whose SVG has a <title> and <desc> (read by
 * screen readers as one image) and whose numbers are also a visually hidden
 * table, so nothing is shown only as a bar length.
 */

export interface ChartBar {
  label: string;
  value: number;
  /** The value as shown (a formatted number or amount); the number itself when absent. */
  text?: string;
}

interface ChartProps {
  /** Unique on the page: the ids of the title and description derive from it. */
  id: string;
  title: string;
  description: string;
  /** The header of the hidden table's value column. */
  valueHeader?: string;
  labelHeader?: string;
}

const WIDTH = 640;

function HiddenTable({
  title,
  bars,
  labelHeader,
  valueHeader,
}: {
  title: string;
  bars: ChartBar[];
  labelHeader?: string;
  valueHeader?: string;
}) {
  return (
    // A table takes at least its content's width whatever its own says: the box around it is what hides it.
    <div className="visually-hidden">
      <table>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{labelHeader ?? ""}</th>
            <th scope="col">{valueHeader ?? ""}</th>
          </tr>
        </thead>
        <tbody>
          {bars.map((b) => (
            <tr key={b.label}>
              <th scope="row">{b.label}</th>
              <td>{b.text ?? String(b.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The figure every chart is: the SVG (its title and description first), the caption, the numbers as a table. */
function ChartFigure({
  id,
  title,
  description,
  labelHeader,
  valueHeader,
  bars,
  height,
  children,
}: ChartProps & { bars: ChartBar[]; height: number; children: React.ReactNode }) {
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        className="chart__svg"
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {children}
      </svg>
      <figcaption className="muted">{description}</figcaption>
      <HiddenTable title={title} bars={bars} labelHeader={labelHeader} valueHeader={valueHeader} />
    </figure>
  );
}

/** Horizontal bars, one per step of the funnel, the label above each bar and the number at its end. */
export function FunnelChart({ bars, ...chart }: ChartProps & { bars: ChartBar[] }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const row = 46;
  const height = bars.length * row + 8;
  const barMax = WIDTH - 90;
  return (
    <ChartFigure {...chart} bars={bars} height={height}>
      {bars.map((b, i) => {
        const y = i * row;
        const w = b.value > 0 ? Math.max(3, Math.round((b.value / max) * barMax)) : 0;
        return (
          <g key={b.label} aria-hidden="true">
            <text x={0} y={y + 15} className="chart__label">
              {b.label}
            </text>
            <rect x={0} y={y + 21} width={w} height={18} rx={3} className="chart__bar" fill="#1f6f3b" />
            <text x={w + 6} y={y + 35} className="chart__value">
              {b.text ?? String(b.value)}
            </text>
          </g>
        );
      })}
    </ChartFigure>
  );
}

/** Vertical bars over months (orders, or sales in đồng), the month under each bar. */
export function MonthlyChart({ points, ...chart }: ChartProps & { points: ChartBar[] }) {
  const max = Math.max(1, ...points.map((p) => p.value));
  const height = 220;
  const top = 22;
  const base = height - 28;
  const slot = WIDTH / Math.max(1, points.length);
  const barW = Math.max(4, Math.round(slot * 0.6));
  return (
    <ChartFigure {...chart} bars={points} height={height}>
      <line x1={0} x2={WIDTH} y1={base} y2={base} className="chart__axis" stroke="#d6dcd8" />
      {points.map((p, i) => {
        const h = p.value > 0 ? Math.max(2, Math.round((p.value / max) * (base - top))) : 0;
        const x = Math.round(i * slot + (slot - barW) / 2);
        const cx = Math.round(i * slot + slot / 2);
        return (
          <g key={p.label} aria-hidden="true">
            <rect x={x} y={base - h} width={barW} height={h} rx={2} className="chart__bar" fill="#1f6f3b" />
            {p.value > 0 ? (
              <text x={cx} y={base - h - 5} textAnchor="middle" className="chart__value chart__value--small">
                {p.text ?? String(p.value)}
              </text>
            ) : null}
            <text x={cx} y={height - 8} textAnchor="middle" className="chart__label chart__label--small">
              {p.label}
            </text>
          </g>
        );
      })}
    </ChartFigure>
  );
}
