/** The roadmap's horizons in board order, with their headings. */
export const horizons = ['now', 'next', 'later'] as const;
/** One of {@link horizons}. */
export type Horizon = (typeof horizons)[number];
/** A horizon as people read it. */
export const horizonLabels: Record<Horizon, string> = { now: 'Now', next: 'Next', later: 'Later' };

/** The horizon `step` columns left (-1) or right (+1) of `horizon`, or undefined past the edge. */
export function neighbourHorizon(horizon: Horizon, step: -1 | 1): Horizon | undefined {
  return horizons[horizons.indexOf(horizon) + step];
}
