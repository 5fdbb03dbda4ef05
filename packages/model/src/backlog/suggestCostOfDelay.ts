/**
 * Measured cost of delay (issue 6): the time-dependent part of WSJF's cost of delay, suggested from how
 * many consuming teams an item affects and how long the product's SLA checks were breached — never from
 * who asks loudest. The value feeds WSJF's `timeCriticality` input (0–100) when none is entered.
 */
export interface CostOfDelaySignals {
  /** Distinct consuming teams affected (the same teams that measure reach). */
  consumersAffected: number;
  /** Hours the product's SLA checks were breached over the last 30 days; rounded to whole hours. */
  breachHours: number;
}

/** A suggested time criticality with the reason people see next to it. */
export interface TimeCriticalitySuggestion {
  value: number;
  basis: string;
}

/** The cap of WSJF's time-criticality input. */
export const maxTimeCriticality = 100;

/**
 * min(100, consumers × whole breach hours), or null when either signal is 0 or unknown (no suggestion
 * beats a suggestion of zero, which would rank the item as if delay cost nothing).
 */
export function suggestCostOfDelay(signals: CostOfDelaySignals): TimeCriticalitySuggestion | null {
  const consumers = Math.floor(signals.consumersAffected);
  const hours = Math.round(signals.breachHours);
  if (!Number.isFinite(consumers) || !Number.isFinite(hours) || consumers <= 0 || hours <= 0) return null;
  return {
    value: Math.min(maxTimeCriticality, consumers * hours),
    basis: `${consumers} consuming team${consumers === 1 ? '' : 's'} × ${hours} h of SLA breach in the last 30 days`,
  };
}
