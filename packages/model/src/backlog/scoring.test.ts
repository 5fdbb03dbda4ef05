import { describe, expect, it } from 'vitest';
import { backlogSettingsSchema, checkInputs, compareEvaluations, defaultBacklogSettings, evaluate, quadrantOf, type BacklogSettings, type ScoringSubject } from './scoring';

const entered = (inputs: Record<string, number | string>, votes = 0): ScoringSubject => ({
  inputs: Object.fromEntries(Object.entries(inputs).map(([name, value]) => [name, { value, suggested: false }])),
  votes,
});
const settings = (patch: Partial<BacklogSettings>): BacklogSettings => ({ ...defaultBacklogSettings, ...patch });

describe('RICE', () => {
  it('is reach × impact × confidence ÷ effort, explained with the numbers', () => {
    const result = evaluate(settings({ framework: 'rice' }), entered({ reach: 120, impact: 2, confidence: 80, effort: 3 }));
    expect(result.score).toBeCloseTo(64);
    expect(result.explanation).toBe('120 × 2 × 80% ÷ 3 = 64');
    expect(result.formula).toBe('reach × impact × confidence ÷ effort');
  });
  it('marks a suggested reach as suggested in the explanation', () => {
    const subject: ScoringSubject = { inputs: { reach: { value: 3, suggested: true }, impact: { value: 1, suggested: false }, confidence: { value: 50, suggested: false }, effort: { value: 1, suggested: false } }, votes: 0 };
    const result = evaluate(settings({ framework: 'rice' }), subject);
    expect(result.score).toBe(1.5);
    expect(result.explanation).toBe('3 (suggested reach) × 1 × 50% ÷ 1 = 1.5');
  });
  it('does not score an item missing an input and names what is missing', () => {
    const result = evaluate(settings({ framework: 'rice' }), entered({ reach: 10, impact: 1 }));
    expect(result).toMatchObject({ score: null, group: 0, missing: ['confidence', 'effort'] });
    expect(result.explanation).toBe('Not scored: enter confidence, effort.');
  });
  it('ignores votes', () => {
    const a = evaluate(settings({ framework: 'rice' }), entered({ reach: 10, impact: 1, confidence: 100, effort: 1 }, 0));
    const b = evaluate(settings({ framework: 'rice' }), entered({ reach: 10, impact: 1, confidence: 100, effort: 1 }, 500));
    expect(a.score).toBe(b.score);
  });
});

describe('WSJF', () => {
  it('is (business value + time criticality + risk reduction) ÷ job size', () => {
    const result = evaluate(settings({ framework: 'wsjf' }), entered({ businessValue: 8, timeCriticality: 5, riskReduction: 3, jobSize: 4 }));
    expect(result.score).toBe(4);
    expect(result.explanation).toBe('(8 + 5 + 3) ÷ 4 = 16 ÷ 4 = 4');
  });
});

describe('ICE', () => {
  const inputs = entered({ iceImpact: 8, iceConfidence: 6, ease: 4 });
  it('multiplies by default', () => {
    const result = evaluate(settings({ framework: 'ice' }), inputs);
    expect(result.score).toBe(192);
    expect(result.explanation).toBe('8 × 6 × 4 = 192');
  });
  it('averages when the combiner is average', () => {
    const result = evaluate(settings({ framework: 'ice', iceCombiner: 'average' }), inputs);
    expect(result.score).toBe(6);
    expect(result.formula).toBe('(impact + confidence + ease) ÷ 3');
    expect(result.explanation).toBe('(8 + 6 + 4) ÷ 3 = 6');
  });
});

describe('MoSCoW', () => {
  it('ranks must > should > could > won’t > unscored', () => {
    const order = ['could', 'wont', 'must', undefined, 'should'].map((category) => evaluate(settings({ framework: 'moscow' }), entered(category === undefined ? {} : { moscow: category })));
    const sorted = [...order].sort(compareEvaluations).map((evaluation) => evaluation.groupLabel);
    expect(sorted).toEqual(['Must have', 'Should have', 'Could have', 'Won’t have (this time)', null]);
    expect(order[2]?.explanation).toBe('Must have → 4');
  });
});

describe('value/effort matrix', () => {
  it('puts items in quadrants by the thresholds, then orders by value ÷ effort', () => {
    const s = settings({ framework: 'value-effort', valueThreshold: 5, effortThreshold: 5 });
    expect(quadrantOf(8, 2, s)).toBe(4);
    expect(quadrantOf(8, 8, s)).toBe(3);
    expect(quadrantOf(2, 2, s)).toBe(2);
    expect(quadrantOf(2, 8, s)).toBe(1);
    expect(quadrantOf(5, 5, s)).toBe(3);
    const quickWin = evaluate(s, entered({ value: 6, effort: 3 }));
    expect(quickWin).toMatchObject({ group: 4, groupLabel: 'Quick win', score: 2 });
    expect(quickWin.explanation).toBe('Quick win: high value (6 ≥ 5), low effort (3 < 5); 6 ÷ 3 = 2');
    // A major project with a better ratio still ranks after any quick win.
    const major = evaluate(s, entered({ value: 10, effort: 5 }));
    expect(compareEvaluations(quickWin, major)).toBeLessThan(0);
  });
  it('honours changed thresholds', () => {
    expect(evaluate(settings({ framework: 'value-effort', valueThreshold: 7 }), entered({ value: 6, effort: 3 })).groupLabel).toBe('Fill-in');
  });
});

describe('custom weighted formula', () => {
  const custom = settings({ framework: 'custom', custom: { name: 'Revenue first', terms: [{ input: 'revenueImpact', weight: 2 }, { input: 'effort', weight: -0.5 }] } });
  it('is the weighted sum of the named inputs', () => {
    const result = evaluate(custom, entered({ revenueImpact: 10, effort: 4 }));
    expect(result.score).toBe(18);
    expect(result.formula).toBe('Revenue first: 2 × revenueImpact + -0.5 × effort');
    expect(result.explanation).toBe('2 × 10 + -0.5 × 4 = 18');
  });
  it('counts votes only when a term names them', () => {
    const withVotes = settings({ framework: 'custom', custom: { name: 'Loud', terms: [{ input: 'value', weight: 1 }, { input: 'votes', weight: 0.5 }] } });
    expect(evaluate(withVotes, entered({ value: 2 }, 6)).score).toBe(5);
    expect(evaluate(custom, entered({ revenueImpact: 1, effort: 1 }, 1000)).score).toBe(1.5);
  });
});

describe('backlog settings', () => {
  const valid = { framework: 'custom', iceCombiner: 'product', valueThreshold: 5, effortThreshold: 5, custom: { name: 'Mine', terms: [{ input: 'value', weight: 1 }] } };
  it('accepts a valid custom formula', () => {
    expect(backlogSettingsSchema.safeParse(valid).success).toBe(true);
  });
  it('rejects the custom framework without a formula', () => {
    const result = backlogSettingsSchema.safeParse({ ...valid, custom: null });
    expect(result.error?.issues[0]?.path).toEqual(['custom']);
  });
  it('rejects a repeated input', () => {
    const result = backlogSettingsSchema.safeParse({ ...valid, custom: { name: 'Mine', terms: [{ input: 'value', weight: 1 }, { input: 'value', weight: 2 }] } });
    expect(result.error?.issues[0]?.path).toEqual(['custom', 'terms', 1, 'input']);
  });
  it('rejects a zero weight', () => {
    const result = backlogSettingsSchema.safeParse({ ...valid, custom: { name: 'Mine', terms: [{ input: 'value', weight: 0 }] } });
    expect(result.error?.issues[0]?.path).toEqual(['custom', 'terms', 0, 'weight']);
  });
  it('rejects an input name that is not an identifier', () => {
    const result = backlogSettingsSchema.safeParse({ ...valid, custom: { name: 'Mine', terms: [{ input: 'Drop table', weight: 1 }] } });
    expect(result.error?.issues[0]?.path).toEqual(['custom', 'terms', 0, 'input']);
  });
  it('rejects moscow as a custom term', () => {
    const result = backlogSettingsSchema.safeParse({ ...valid, custom: { name: 'Mine', terms: [{ input: 'moscow', weight: 1 }] } });
    expect(result.error?.issues[0]?.path).toEqual(['custom', 'terms', 0, 'input']);
  });
});

describe('checkInputs', () => {
  it('accepts values in range and null (clear)', () => {
    expect(checkInputs({ reach: 10, confidence: 100, moscow: 'must', revenueImpact: -3, effort: null })).toEqual([]);
  });
  it('names each bad input', () => {
    expect(checkInputs({ confidence: 120, effort: 0, moscow: 'maybe', votes: 3, reach: '12' }).map((p) => p.name)).toEqual(['confidence', 'effort', 'moscow', 'votes', 'reach']);
  });
});
