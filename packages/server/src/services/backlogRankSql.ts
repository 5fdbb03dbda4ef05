import { frameworkInputs, moscowWeights, type BacklogSettings } from '@meshboard/model';
import { sql, type RawBuilder } from 'kysely';

/**
 * The ranking of `@meshboard/model`'s `evaluate` as SQL over `backlog_items`, so a backlog of thousands of
 * items is ordered (and paged) by the database. Operations are written in the model's order so both give
 * the same doubles; a missing input makes the score null (ranked last), exactly as the model does.
 */
export interface RankSql {
  group: RawBuilder<number>;
  score: RawBuilder<number | null>;
}

/** A numeric input of the row; `reach` falls back to the measured suggestion, `votes` is the counted column. */
function input(name: string): RawBuilder<number | null> {
  if (name === 'votes') return sql<number>`votes::float8`;
  const entered = sql<number | null>`(inputs -> ${name}::text ->> 'value')::float8`;
  return name === 'reach' ? sql<number | null>`coalesce(${entered}, suggested_reach::float8)` : entered;
}

/** The tier and score expressions of `settings`' framework. */
export function rankSql(settings: BacklogSettings): RankSql {
  const scored = (score: RawBuilder<number | null>): RankSql => ({ score, group: sql<number>`case when ${score} is null then 0 else 1 end` });
  switch (settings.framework) {
    case 'rice': {
      const [reach, impact, confidence, effort] = frameworkInputs.rice.map(input);
      return scored(sql`${reach} * ${impact} * (${confidence} / 100) / ${effort}`);
    }
    case 'wsjf': {
      const [value, time, risk, size] = frameworkInputs.wsjf.map(input);
      return scored(sql`(${value} + ${time} + ${risk}) / ${size}`);
    }
    case 'ice': {
      const [impact, confidence, ease] = frameworkInputs.ice.map(input);
      return scored(settings.iceCombiner === 'product' ? sql`${impact} * ${confidence} * ${ease}` : sql`(${impact} + ${confidence} + ${ease}) / 3`);
    }
    case 'moscow': {
      const weight = sql<number | null>`case inputs -> 'moscow' ->> 'value' when 'must' then ${moscowWeights.must}::float8 when 'should' then ${moscowWeights.should}::float8 when 'could' then ${moscowWeights.could}::float8 when 'wont' then ${moscowWeights.wont}::float8 end`;
      return { score: weight, group: sql<number>`coalesce(${weight}, 0)` };
    }
    case 'value-effort': {
      const value = input('value');
      const effort = input('effort');
      const high = sql`${value} >= ${settings.valueThreshold}::float8`;
      const hard = sql`${effort} >= ${settings.effortThreshold}::float8`;
      return {
        score: sql`${value} / ${effort}`,
        group: sql<number>`case when ${value} is null or ${effort} is null then 0 when ${high} then (case when ${hard} then 3 else 4 end) else (case when ${hard} then 1 else 2 end) end`,
      };
    }
    case 'custom': {
      const terms = settings.custom?.terms ?? [];
      if (terms.length === 0) return { score: sql`null::float8`, group: sql<number>`0` };
      // 0 + t1 + t2 … in the model's order (it starts from 0 and adds weight × input).
      const sum = terms.reduce<RawBuilder<number | null>>((total, term) => sql`${total} + ${term.weight}::float8 * ${input(term.input)}`, sql`0::float8`);
      return scored(sum);
    }
  }
}
