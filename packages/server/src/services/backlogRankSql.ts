import { frameworkInputs, frameworks, moscowWeights, type BacklogSettings, type Framework } from '@meshboard/model';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../store/Database';

/**
 * The ranking of `@meshboard/model`'s `evaluate` as SQL over `backlog_items`, so a backlog of thousands of
 * items is ordered (and paged) by the database. Operations are written in the model's order so both give
 * the same doubles; a missing input makes the score null (ranked last), exactly as the model does.
 */
export interface RankSql {
  group: RawBuilder<number>;
  score: RawBuilder<number | null>;
}

/**
 * A numeric input of the row; `reach` and `timeCriticality` fall back to their measured suggestions (an
 * entered value wins), `votes` is the counted column.
 */
function input(name: string): RawBuilder<number | null> {
  if (name === 'votes') return sql<number>`votes::float8`;
  const entered = sql<number | null>`(inputs -> ${name}::text ->> 'value')::float8`;
  if (name === 'reach') return sql<number | null>`coalesce(${entered}, suggested_reach::float8)`;
  if (name === 'timeCriticality') return sql<number | null>`coalesce(${entered}, suggested_time_criticality::float8)`;
  return entered;
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

/** The stored rank-key columns of a framework (`<framework>_group`, `<framework>_score`). */
export function rankColumns(framework: Framework): { group: string; score: string } {
  const prefix = framework.replace('-', '_');
  return { group: `${prefix}_group`, score: `${prefix}_score` };
}

/** Orders a ranking by a framework's stored keys: tier, score (unscored last), then number. */
export function rankOrder(framework: Framework): RawBuilder<unknown> {
  const { group, score } = rankColumns(framework);
  return sql`${sql.ref(group)} desc, ${sql.ref(score)} desc nulls last, number`;
}

/**
 * Recomputes the stored rank keys of every framework for the items `where` selects (one UPDATE), with
 * the product's current settings. Called in the writing transaction after any change to inputs, votes,
 * evidence (suggested reach) or settings, so the stored keys always equal {@link rankSql}.
 */
export async function refreshRankKeys(trx: Kysely<Database>, settings: BacklogSettings, where: { productId: string; ids?: readonly string[] }): Promise<void> {
  if (where.ids !== undefined && where.ids.length === 0) return;
  const assignments = frameworks.map((framework) => {
    const { group, score } = rankColumns(framework);
    const keys = rankSql({ ...settings, framework });
    return sql`${sql.ref(group)} = ${keys.group}, ${sql.ref(score)} = ${keys.score}`;
  });
  const filter = where.ids === undefined ? sql`product_id = ${where.productId}` : sql`product_id = ${where.productId} and id = any(${[...where.ids]}::uuid[])`;
  await sql`update backlog_items set ${sql.join(assignments, sql`, `)} where ${filter}`.execute(trx);
}
