/**
 * Prioritisation by value: the scoring frameworks, their inputs and the explanation of every score (the
 * formula with the numbers filled in). The server computes the same arithmetic in SQL to rank large
 * backlogs (`backlogRankSql`); this module is the reference both must agree with.
 *
 * Votes are never an input of a built-in framework: who asks loudest does not decide the order. Only a
 * custom formula may name `votes`, explicitly and with a weight the product owner chose.
 */
import { z } from 'zod';

/** The frameworks a product can rank its backlog by. */
export const frameworks = ['rice', 'wsjf', 'ice', 'moscow', 'value-effort', 'custom'] as const;
/** One of {@link frameworks}. */
export type Framework = (typeof frameworks)[number];

/** MoSCoW categories, strongest first. */
export const moscowCategories = ['must', 'should', 'could', 'wont'] as const;
/** One of {@link moscowCategories}. */
export type MoscowCategory = (typeof moscowCategories)[number];

/** A numeric input's definition: label, range (`above` is an exclusive lower bound) and meaning. */
export interface NumericInput {
  label: string;
  help: string;
  min: number;
  max: number;
  above?: boolean;
}

/** The built-in numeric inputs. Frameworks use disjoint names where scales differ (RICE impact ≠ ICE impact). */
export const numericInputs = {
  reach: { label: 'Reach', help: 'Consuming teams (or users) affected per period; suggested from linked teams.', min: 0, max: 1_000_000_000 },
  impact: { label: 'Impact', help: 'RICE impact: 0.25 minimal, 0.5 low, 1 medium, 2 high, 3 massive.', min: 0, max: 10 },
  confidence: { label: 'Confidence %', help: 'RICE confidence in the estimates, 0–100 %.', min: 0, max: 100 },
  effort: { label: 'Effort', help: 'Person-months (RICE) or effort points (value/effort matrix); more than 0.', min: 0, max: 1_000_000, above: true },
  businessValue: { label: 'Business value', help: 'WSJF user/business value (relative, e.g. 1, 2, 3, 5, 8, 13, 20).', min: 0, max: 100 },
  timeCriticality: { label: 'Time criticality', help: 'WSJF: how much value decays with delay; suggested from consuming teams × hours of SLA breach.', min: 0, max: 100 },
  riskReduction: { label: 'Risk reduction / opportunity enablement', help: 'WSJF: risk reduced or opportunity enabled.', min: 0, max: 100 },
  jobSize: { label: 'Job size', help: 'WSJF job size (relative); more than 0.', min: 0, max: 100, above: true },
  iceImpact: { label: 'ICE impact', help: 'ICE impact, 1–10.', min: 1, max: 10 },
  iceConfidence: { label: 'ICE confidence', help: 'ICE confidence, 1–10.', min: 1, max: 10 },
  ease: { label: 'Ease', help: 'ICE ease, 1–10 (10 = trivial).', min: 1, max: 10 },
  value: { label: 'Value', help: 'Value/effort matrix: value, 0–10.', min: 0, max: 10 },
} as const satisfies Record<string, NumericInput>;

/** The name of a built-in numeric input. */
export type NumericInputName = keyof typeof numericInputs;

/** Range of a numeric input a custom formula introduces (not built in). */
export const customInputRange: NumericInput = { label: 'Custom input', help: 'A number a custom formula names.', min: -1_000_000_000, max: 1_000_000_000 };

/** Inputs each framework reads, in formula order. */
export const frameworkInputs: Readonly<Record<Exclude<Framework, 'custom'>, readonly string[]>> = {
  rice: ['reach', 'impact', 'confidence', 'effort'],
  wsjf: ['businessValue', 'timeCriticality', 'riskReduction', 'jobSize'],
  ice: ['iceImpact', 'iceConfidence', 'ease'],
  moscow: ['moscow'],
  'value-effort': ['value', 'effort'],
};

const identifier = z
  .string()
  .regex(/^[a-z][A-Za-z0-9]{0,39}$/, 'a name starting with a lower-case letter, then letters and digits (at most 40), e.g. "revenueImpact"');

/** One term of a custom formula: weight × input. */
export const customTermSchema = z
  .object({
    input: identifier.refine((name) => name !== 'moscow', 'moscow is a category, not a number; use the MoSCoW framework'),
    weight: z.number().finite().min(-1000).max(1000).refine((weight) => weight !== 0, 'a weight of 0 has no effect; remove the term instead'),
  })
  .strict();

/** A custom weighted formula: score = Σ weight × input. `votes` counts only if a term names it. */
export const customFormulaSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    terms: z.array(customTermSchema).min(1).max(20),
  })
  .strict()
  .superRefine((formula, context) => {
    const seen = new Set<string>();
    formula.terms.forEach((term, index) => {
      if (seen.has(term.input)) context.addIssue({ code: 'custom', path: ['terms', index, 'input'], message: `"${term.input}" appears twice; combine the weights into one term` });
      seen.add(term.input);
    });
  });

/** A custom formula. */
export type CustomFormula = z.infer<typeof customFormulaSchema>;

/**
 * A product's backlog settings: which framework ranks it and the framework parameters. Versioned by the
 * server (If-Match). `custom` is required when the framework is `custom` and kept otherwise.
 */
export const backlogSettingsSchema = z
  .object({
    framework: z.enum(frameworks),
    iceCombiner: z.enum(['product', 'average']),
    valueThreshold: z.number().finite().min(0).max(10),
    effortThreshold: z.number().finite().gt(0).max(1_000_000),
    custom: customFormulaSchema.nullable(),
  })
  .strict()
  .superRefine((settings, context) => {
    if (settings.framework === 'custom' && settings.custom === null) context.addIssue({ code: 'custom', path: ['custom'], message: 'the custom framework needs a formula (a name and at least one weighted input)' });
  });

/** Backlog settings (see {@link backlogSettingsSchema}). */
export type BacklogSettings = z.infer<typeof backlogSettingsSchema>;

/** Settings of a product that never chose: RICE, ICE as a product, matrix thresholds at the middle. */
export const defaultBacklogSettings: BacklogSettings = { framework: 'rice', iceCombiner: 'product', valueThreshold: 5, effortThreshold: 5, custom: null };

/** An input value as scoring sees it, and whether it was measured (suggested) rather than entered. */
export interface ScoreInput {
  value: number | string;
  suggested: boolean;
}

/** An item's inputs by name, plus its vote count (only a custom formula may read it). */
export interface ScoringSubject {
  inputs: Readonly<Record<string, ScoreInput | undefined>>;
  votes: number;
}

/** A framework's verdict on one item. */
export interface Evaluation {
  framework: Framework;
  /** Ranking tier, higher first: MoSCoW category (4 must … 1 won't) or matrix quadrant (4 quick win … 1 money pit); 0 when unscored; 1 for pure scores. */
  group: number;
  /** The tier's name (e.g. "Quick win"), null for pure scores. */
  groupLabel: string | null;
  /** The score within the tier, null when an input is missing. */
  score: number | null;
  /** Names of the inputs the item still needs. */
  missing: string[];
  /** The formula in words, e.g. "reach × impact × confidence ÷ effort". */
  formula: string;
  /** The formula with the item's numbers filled in and the result, e.g. "120 × 2 × 80% ÷ 3 = 64". */
  explanation: string;
}

/** MoSCoW tier weights. */
export const moscowWeights: Readonly<Record<MoscowCategory, number>> = { must: 4, should: 3, could: 2, wont: 1 };
const moscowLabels: Readonly<Record<MoscowCategory, string>> = { must: 'Must have', should: 'Should have', could: 'Could have', wont: 'Won’t have (this time)' };

/** Value/effort quadrants by tier. */
export const quadrants = { 4: 'Quick win', 3: 'Major project', 2: 'Fill-in', 1: 'Money pit' } as const;

/** A number as people read it: at most 3 decimals, no trailing zeros. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return String(Math.round(value * 1000) / 1000);
}

function shown(name: string, input: ScoreInput): string {
  const text = typeof input.value === 'number' ? formatNumber(input.value) : input.value;
  return input.suggested ? `${text} (suggested ${name})` : text;
}

/** The numeric inputs of `names`, or the missing names. */
function numbers(subject: ScoringSubject, names: readonly string[]): { values: number[]; shown: string[]; missing: string[] } {
  const values: number[] = [];
  const texts: string[] = [];
  const missing: string[] = [];
  for (const name of names) {
    if (name === 'votes') {
      values.push(subject.votes);
      texts.push(`${subject.votes} votes`);
      continue;
    }
    const input = subject.inputs[name];
    if (input === undefined || typeof input.value !== 'number') missing.push(name);
    else {
      values.push(input.value);
      texts.push(shown(name, input));
    }
  }
  return { values, shown: texts, missing };
}

function unscored(framework: Framework, formula: string, missing: string[]): Evaluation {
  return { framework, group: 0, groupLabel: null, score: null, missing, formula, explanation: `Not scored: enter ${missing.join(', ')}.` };
}

/**
 * Scores one item by the product's framework and explains it. The arithmetic is written in the order the
 * SQL ranking uses, so both give bit-identical doubles.
 */
export function evaluate(settings: BacklogSettings, subject: ScoringSubject): Evaluation {
  const framework = settings.framework;
  switch (framework) {
    case 'rice': {
      const formula = 'reach × impact × confidence ÷ effort';
      const { values, shown: s, missing } = numbers(subject, frameworkInputs.rice);
      if (missing.length > 0) return unscored(framework, formula, missing);
      const [reach = 0, impact = 0, confidence = 0, effort = 1] = values;
      const score = (reach * impact * (confidence / 100)) / effort;
      return { framework, group: 1, groupLabel: null, score, missing, formula, explanation: `${s[0]} × ${s[1]} × ${s[2]}% ÷ ${s[3]} = ${formatNumber(score)}` };
    }
    case 'wsjf': {
      const formula = 'cost of delay ÷ job size; cost of delay = business value + time criticality + risk reduction/opportunity enablement';
      const { values, shown: s, missing } = numbers(subject, frameworkInputs.wsjf);
      if (missing.length > 0) return unscored(framework, formula, missing);
      const [value = 0, time = 0, risk = 0, size = 1] = values;
      const costOfDelay = value + time + risk;
      const score = costOfDelay / size;
      return { framework, group: 1, groupLabel: null, score, missing, formula, explanation: `(${s[0]} + ${s[1]} + ${s[2]}) ÷ ${s[3]} = ${formatNumber(costOfDelay)} ÷ ${s[3]} = ${formatNumber(score)}` };
    }
    case 'ice': {
      const product = settings.iceCombiner === 'product';
      const formula = product ? 'impact × confidence × ease' : '(impact + confidence + ease) ÷ 3';
      const { values, shown: s, missing } = numbers(subject, frameworkInputs.ice);
      if (missing.length > 0) return unscored(framework, formula, missing);
      const [impact = 0, confidence = 0, ease = 0] = values;
      const score = product ? impact * confidence * ease : (impact + confidence + ease) / 3;
      return { framework, group: 1, groupLabel: null, score, missing, formula, explanation: product ? `${s[0]} × ${s[1]} × ${s[2]} = ${formatNumber(score)}` : `(${s[0]} + ${s[1]} + ${s[2]}) ÷ 3 = ${formatNumber(score)}` };
    }
    case 'moscow': {
      const formula = 'must (4) > should (3) > could (2) > won’t (1)';
      const input = subject.inputs['moscow'];
      const category = input === undefined ? undefined : moscowCategories.find((c) => c === input.value);
      if (category === undefined) return unscored(framework, formula, ['moscow']);
      const weight = moscowWeights[category];
      return { framework, group: weight, groupLabel: moscowLabels[category], score: weight, missing: [], formula, explanation: `${moscowLabels[category]} → ${weight}` };
    }
    case 'value-effort': {
      const formula = `quadrant by value (high ≥ ${formatNumber(settings.valueThreshold)}) and effort (high ≥ ${formatNumber(settings.effortThreshold)}): quick win > major project > fill-in > money pit; then value ÷ effort`;
      const { values, shown: s, missing } = numbers(subject, frameworkInputs['value-effort']);
      if (missing.length > 0) return unscored(framework, formula, missing);
      const [value = 0, effort = 1] = values;
      const group = quadrantOf(value, effort, settings);
      const score = value / effort;
      const label = quadrants[group];
      const valueWord = value >= settings.valueThreshold ? `high value (${s[0]} ≥ ${formatNumber(settings.valueThreshold)})` : `low value (${s[0]} < ${formatNumber(settings.valueThreshold)})`;
      const effortWord = effort >= settings.effortThreshold ? `high effort (${s[1]} ≥ ${formatNumber(settings.effortThreshold)})` : `low effort (${s[1]} < ${formatNumber(settings.effortThreshold)})`;
      return { framework, group, groupLabel: label, score, missing, formula, explanation: `${label}: ${valueWord}, ${effortWord}; ${s[0]} ÷ ${s[1]} = ${formatNumber(score)}` };
    }
    case 'custom': {
      const custom = settings.custom;
      if (custom === null) return unscored(framework, 'no custom formula defined', ['a custom formula']);
      const formula = `${custom.name}: ${custom.terms.map((term) => `${formatNumber(term.weight)} × ${term.input}`).join(' + ')}`;
      const { values, shown: s, missing } = numbers(subject, custom.terms.map((term) => term.input));
      if (missing.length > 0) return unscored(framework, formula, missing);
      let score = 0;
      custom.terms.forEach((term, index) => {
        score += term.weight * (values[index] ?? 0);
      });
      const filled = custom.terms.map((term, index) => `${formatNumber(term.weight)} × ${s[index] ?? ''}`).join(' + ');
      return { framework, group: 1, groupLabel: null, score, missing, formula, explanation: `${filled} = ${formatNumber(score)}` };
    }
  }
}

/** The value/effort quadrant tier of a value and an effort (see {@link quadrants}). */
export function quadrantOf(value: number, effort: number, settings: Pick<BacklogSettings, 'valueThreshold' | 'effortThreshold'>): 1 | 2 | 3 | 4 {
  const high = value >= settings.valueThreshold;
  const hard = effort >= settings.effortThreshold;
  if (high) return hard ? 3 : 4;
  return hard ? 1 : 2;
}

/** Orders evaluations best first: tier, then score (unscored last). Ties keep their order (callers sort stably). */
export function compareEvaluations(a: Evaluation, b: Evaluation): number {
  if (a.group !== b.group) return b.group - a.group;
  if (a.score === b.score) return 0;
  if (a.score === null) return 1;
  if (b.score === null) return -1;
  return b.score - a.score;
}

/** The numeric inputs a product's settings read (built-in of its framework, or the custom terms), without `votes`. */
export function inputsOf(settings: BacklogSettings): string[] {
  if (settings.framework === 'custom') return (settings.custom?.terms ?? []).map((term) => term.input).filter((name) => name !== 'votes');
  return [...frameworkInputs[settings.framework]];
}

/** A problem with an input value, located by the input's name. */
export interface InputProblem {
  name: string;
  detail: string;
}

/**
 * Checks entered inputs: built-in numbers within their range, `moscow` one of the categories, any other
 * name a finite number (a custom formula's input). `votes` cannot be entered: it is counted.
 */
export function checkInputs(inputs: Readonly<Record<string, unknown>>): InputProblem[] {
  const problems: InputProblem[] = [];
  for (const [name, value] of Object.entries(inputs)) {
    if (value === null) continue; // clears the input
    if (name === 'votes') {
      problems.push({ name, detail: 'votes are counted from people voting, not entered' });
      continue;
    }
    if (name === 'moscow') {
      if (!moscowCategories.some((category) => category === value)) problems.push({ name, detail: `must be one of ${moscowCategories.join(', ')}` });
      continue;
    }
    if (!identifier.safeParse(name).success) {
      problems.push({ name, detail: 'an input name starts with a lower-case letter, then letters and digits (at most 40)' });
      continue;
    }
    const range: NumericInput = name in numericInputs ? numericInputs[name as NumericInputName] : customInputRange;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      problems.push({ name, detail: `must be a number (${range.help})` });
      continue;
    }
    if (range.above === true ? value <= range.min : value < range.min) problems.push({ name, detail: `must be ${range.above === true ? 'more than' : 'at least'} ${formatNumber(range.min)} (${range.help})` });
    else if (value > range.max) problems.push({ name, detail: `must be at most ${formatNumber(range.max)} (${range.help})` });
  }
  return problems;
}
