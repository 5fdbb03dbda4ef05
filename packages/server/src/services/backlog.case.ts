/**
 * The backlog suite, run on both stores (backlogEmbedded.test.ts, backlogPostgres.test.ts): items and
 * their workflow, If-Match and races, scoring inputs with who entered them, the SQL ranking agreeing with
 * the model for every framework, merging duplicates, settings, votes, import and export.
 */
import { randomUUID } from 'node:crypto';
import { evaluate, frameworks, type BacklogSettings } from '@meshboard/model';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../auth/Actor';
import { ConflictError, InputError, NotAllowedError, PreconditionFailedError } from '../errors/errors';
import type { Store } from '../store/createStore';
import { newId } from '../store/newId';
import { insertTestProduct, type TestProduct } from '../testing/insertTestProduct';
import { refreshCostOfDelayForContract } from './backlogCostOfDelay';
import { scoringSubject } from './backlogPresenter';
import { BacklogService, rankInMemory } from './BacklogService';
import { inTransaction } from './inTransaction';

/** How a suite file provides its store. */
export interface BacklogSubject {
  store: () => Store;
}

async function person(store: Store, roles: Record<string, 'data_product_owner' | 'member'> = {}): Promise<Actor> {
  const id = newId();
  const email = `backlog-${randomUUID().slice(0, 8)}@example.com`;
  await store.db.insertInto('users').values({ id, email, name: 'Tester' }).execute();
  return { userId: id, label: email, isAdmin: false, domainRoles: new Map(Object.entries(roles).map(([domain, role]) => [domain, new Set([role])])) };
}

async function thrown(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

/** Registers the backlog suite under `name`. */
export function defineBacklogSuite(name: string, subject: BacklogSubject): void {
  describe(`${name}: backlog`, () => {
    let service: BacklogService;
    let product: TestProduct;
    let owner: Actor;
    let consumer: Actor;
    beforeAll(async () => {
      service = new BacklogService(subject.store().db);
      product = await insertTestProduct(subject.store().db);
      owner = await person(subject.store(), { [product.domainId]: 'data_product_owner' });
      consumer = await person(subject.store());
    });

    it('files items with consecutive numbers and lists them filtered by state, kind and label', async () => {
      const p = await insertTestProduct(subject.store().db);
      const o = await person(subject.store(), { [p.domainId]: 'data_product_owner' });
      const a = await service.create(consumer, p.externalId, { kind: 'request', title: 'Add a currency column' });
      const b = await service.create(o, p.id, { kind: 'story', title: 'Daily refresh', acceptanceCriteria: ['Given a day, then fresh by 6am'], labels: ['freshness'], state: 'planned' });
      const c = await service.create(o, p.id, { kind: 'defect', title: 'Null ids', labels: ['quality', 'freshness'] });
      expect([a.number, b.number, c.number]).toEqual([1, 2, 3]);
      expect(a).toMatchObject({ state: 'new', requester: { userId: consumer.userId, label: consumer.label }, version: 1, votes: 0 });
      expect(b.acceptanceCriteria).toEqual(['Given a day, then fresh by 6am']);
      expect((await service.list(p.id, { label: 'freshness' })).items.map((i) => i.number)).toEqual([2, 3]);
      expect((await service.list(p.id, { state: 'planned' })).items.map((i) => i.number)).toEqual([2]);
      expect((await service.list(p.id, { kind: 'defect' })).items.map((i) => i.number)).toEqual([3]);
      const first = await service.list(p.id, { limit: 2 });
      expect(first.items.map((i) => i.number)).toEqual([1, 2]);
      expect((await service.list(p.id, { limit: 2, cursor: first.nextCursor ?? '' })).items.map((i) => i.number)).toEqual([3]);
      const audit = await subject.store().db.selectFrom('audit_events').select('action').where('entity_id', '=', a.id).execute();
      expect(audit.map((e) => e.action)).toEqual(['backlog_item.create']);
    });

    it('lets anyone file a request but keeps triage to the product’s domain', async () => {
      expect(await thrown(service.create(consumer, product.id, { kind: 'idea', title: 'x', inputs: { reach: 3 } }))).toBeInstanceOf(NotAllowedError);
      const loud = (await thrown(service.create(consumer, product.id, { kind: 'idea', title: 'x', requesterTeamId: product.teamId, evidence: [{ kind: 'url', ref: 'u', note: '', teamId: product.teamId }] }))) as InputError;
      expect(loud).toBeInstanceOf(InputError);
      expect(loud.problems.map((p) => p.pointer)).toEqual(['/evidence/0/teamId', '/requesterTeamId']);
      await subject.store().db.insertInto('team_members').values({ team_id: product.teamId, user_id: consumer.userId ?? '' }).execute();
      expect((await service.create(consumer, product.id, { kind: 'idea', title: 'For my team', requesterTeamId: product.teamId })).suggested.reach?.value).toBe(1);
      await subject.store().db.deleteFrom('team_members').where('user_id', '=', consumer.userId ?? '').execute();
      const item = await service.create(consumer, product.id, { kind: 'idea', title: 'Mine' });
      expect(await thrown(service.update(consumer, { id: item.id, expectedVersion: 1, patch: { title: 'Changed' } }))).toBeInstanceOf(NotAllowedError);
    });

    it('follows the workflow and needs a reason to decline, shown on the item', async () => {
      const item = await service.create(consumer, product.id, { kind: 'request', title: 'Workflow' });
      const skip = (await thrown(service.update(owner, { id: item.id, expectedVersion: 1, patch: { state: 'done' } }))) as InputError;
      expect(skip).toBeInstanceOf(InputError);
      expect(skip.problems[0]).toMatchObject({ pointer: '/state' });
      const noReason = (await thrown(service.update(owner, { id: item.id, expectedVersion: 1, patch: { state: 'declined' } }))) as InputError;
      expect(noReason.problems[0]).toMatchObject({ pointer: '/declineReason', detail: expect.stringContaining('reason') as unknown });
      const triaged = await service.update(owner, { id: item.id, expectedVersion: 1, patch: { state: 'triaged' } });
      const declined = await service.update(owner, { id: item.id, expectedVersion: triaged.version, patch: { state: 'declined', declineReason: 'Covered by the orders product.' } });
      expect(declined).toMatchObject({ state: 'declined', declineReason: 'Covered by the orders product.', version: 3 });
      const reopened = await service.update(owner, { id: item.id, expectedVersion: 3, patch: { state: 'new' } });
      expect(reopened.declineReason).toBeNull();
      const audit = await subject.store().db.selectFrom('audit_events').select('action').where('entity_id', '=', item.id).orderBy('seq').execute();
      expect(audit.map((e) => e.action)).toEqual(['backlog_item.create', 'backlog_item.transition', 'backlog_item.decline', 'backlog_item.transition']);
    });

    it('refuses a stale If-Match and never loses an update under concurrent edits', async () => {
      const item = await service.create(owner, product.id, { kind: 'idea', title: 'Race' });
      await service.update(owner, { id: item.id, expectedVersion: 1, patch: { title: 'First' } });
      const stale = await thrown(service.update(owner, { id: item.id, expectedVersion: 1, patch: { title: 'Second' } }));
      expect(stale).toBeInstanceOf(PreconditionFailedError);
      expect((stale as PreconditionFailedError).currentVersion).toBe(2);
      for (let round = 0; round < 5; round++) {
        const current = await service.get(item.id);
        const results = await Promise.allSettled([
          service.update(owner, { id: item.id, expectedVersion: current.version, patch: { labels: [`a${round}`] } }),
          service.update(owner, { id: item.id, expectedVersion: current.version, patch: { labels: [`b${round}`] } }),
        ]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const failure = results.find((r) => r.status === 'rejected');
        expect(failure?.status === 'rejected' ? failure.reason : undefined).toBeInstanceOf(PreconditionFailedError);
        expect((await service.get(item.id)).version).toBe(current.version + 1);
      }
    });

    it('records who entered each input and suggests reach from linked consuming teams', async () => {
      const other = await insertTestProduct(subject.store().db);
      const item = await service.create(owner, product.id, {
        kind: 'request',
        title: 'Reach',
        requesterTeamId: product.teamId,
        evidence: [{ kind: 'feedback', ref: 'fb-1', note: 'asked twice', teamId: other.teamId }, { kind: 'url', ref: 'https://example.com/ticket', note: '', teamId: null }],
        inputs: { impact: 2, confidence: 50, effort: 1 },
      });
      expect(item.suggested.reach).toEqual({ value: 2, basis: expect.stringContaining('2 consuming teams') as unknown });
      expect(item.inputs['impact']).toMatchObject({ value: 2, enteredBy: { id: owner.userId, label: owner.label } });
      expect(item.inputs['reach']).toBeUndefined();
      const evaluation = evaluate({ ...(await service.settings(product.id)).settings, framework: 'rice' }, scoringSubject(item));
      expect(evaluation.explanation).toBe('2 (suggested reach) × 2 × 50% ÷ 1 = 2');
      const entered = await service.update(owner, { id: item.id, expectedVersion: 1, patch: { inputs: { reach: 40, impact: null } } });
      expect(entered.inputs['reach']).toMatchObject({ value: 40, enteredBy: { id: owner.userId } });
      expect(entered.inputs['impact']).toBeUndefined();
      expect(entered.inputs['effort']).toEqual(item.inputs['effort']);
      const bad = (await thrown(service.update(owner, { id: item.id, expectedVersion: 2, patch: { inputs: { confidence: 150 } } }))) as InputError;
      expect(bad.problems).toEqual([{ pointer: '/inputs/confidence', detail: expect.stringContaining('at most 100') as unknown }]);
      const badTeam = (await thrown(service.update(owner, { id: item.id, expectedVersion: 2, patch: { evidence: [{ kind: 'url', ref: 'x', note: '', teamId: newId() }] } }))) as InputError;
      expect(badTeam.problems[0]?.pointer).toBe('/evidence/0/teamId');
    });

    it('ranks in SQL exactly as the model scores, for every framework', async () => {
      const p = await insertTestProduct(subject.store().db);
      const o = await person(subject.store(), { [p.domainId]: 'data_product_owner' });
      let seed = 7;
      const random = () => {
        seed = (seed * 16807) % 2147483647;
        return seed / 2147483647;
      };
      const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
      for (let index = 0; index < 40; index++) {
        const inputs: Record<string, number | string> = {};
        const maybe = (name: string, value: number | string) => {
          if (random() > 0.1) inputs[name] = value;
        };
        maybe('reach', Math.round(random() * 500));
        maybe('impact', pick([0.25, 0.5, 1, 2, 3]));
        maybe('confidence', pick([20, 50, 80, 100]));
        maybe('effort', pick([0.5, 1, 2, 3, 8]));
        maybe('businessValue', pick([1, 2, 3, 5, 8, 13]));
        maybe('timeCriticality', pick([1, 2, 3, 5, 8]));
        maybe('riskReduction', pick([1, 2, 3, 5]));
        maybe('jobSize', pick([1, 2, 3, 5, 8]));
        maybe('iceImpact', pick([1, 4, 7, 10]));
        maybe('iceConfidence', pick([2, 5, 9]));
        maybe('ease', pick([1, 3, 6, 10]));
        maybe('value', pick([1, 3, 5, 7, 9]));
        maybe('moscow', pick(['must', 'should', 'could', 'wont']));
        maybe('revenue', Math.round(random() * 1000) / 10);
        await service.create(o, p.id, { kind: 'idea', title: `Item ${index}`, inputs, state: index % 13 === 12 ? 'done' : 'new' });
      }
      const base = (await service.settings(p.id)).settings;
      const variants: BacklogSettings[] = [
        ...frameworks.filter((f) => f !== 'custom').map((framework) => ({ ...base, framework })),
        { ...base, framework: 'ice', iceCombiner: 'average' },
        { ...base, framework: 'value-effort', valueThreshold: 6, effortThreshold: 2 },
        { ...base, framework: 'custom', custom: { name: 'Revenue and votes', terms: [{ input: 'revenue', weight: 1.5 }, { input: 'effort', weight: -2 }, { input: 'votes', weight: 0.5 }] } },
      ];
      let version = 0;
      for (const settings of variants) {
        version = (await service.updateSettings(o, { productRef: p.id, expectedVersion: version, settings })).version;
        const ranking = await service.ranking(p.id, { limit: 500 });
        expect(ranking.total).toBe(37);
        const expected = rankInMemory(ranking.items.map((entry) => ({ number: entry.item.number, evaluation: evaluate(settings, scoringSubject(entry.item)) })));
        expect(ranking.items.map((entry) => entry.item.number), `${settings.framework} order`).toEqual(expected.map((entry) => entry.number));
        expect(ranking.items.map((entry) => entry.rank)).toEqual(ranking.items.map((_, index) => index + 1));
        const sorted = await service.list(p.id, { sort: 'rank', limit: 500, state: 'new' });
        expect(sorted.items.map((item) => item.number)).toEqual(expected.map((entry) => entry.number));
        // Paging continues where the last page ended.
        const first = await service.ranking(p.id, { limit: 10 });
        const second = await service.ranking(p.id, { limit: 10, cursor: first.nextCursor ?? '' });
        expect([...first.items, ...second.items].map((entry) => entry.item.number)).toEqual(expected.slice(0, 20).map((entry) => entry.number));
      }
      // The stored rank keys follow votes when the custom formula names them.
      const last = (await service.ranking(p.id, { limit: 500 })).items.at(-1)?.item;
      if (last === undefined) throw new Error('no ranked items');
      for (let vote = 0; vote < 3; vote++) await service.vote(await person(subject.store()), last.id, true);
      const custom = variants.at(-1) as BacklogSettings;
      const revoted = await service.ranking(p.id, { limit: 500 });
      const expectedAfterVotes = rankInMemory(revoted.items.map((entry) => ({ number: entry.item.number, evaluation: evaluate(custom, scoringSubject(entry.item)) })));
      expect(revoted.items.map((entry) => entry.item.number)).toEqual(expectedAfterVotes.map((entry) => entry.number));
      expect(revoted.items.find((entry) => entry.item.id === last.id)?.item.votes).toBe(3);
      const what = await service.ranking(p.id, { framework: 'wsjf', limit: 1 });
      expect(what.framework).toBe('wsjf');
      expect(what.items[0]?.evaluation.explanation).toMatch(/^\(.+\) ÷ .+ = .+ ÷ .+ = .+$/);
    });

    it('suggests time criticality from consuming teams × SLA breach hours, ranks WSJF by it, and lets an entered value win', async () => {
      const db = subject.store().db;
      const p = await insertTestProduct(db);
      const other = await insertTestProduct(db);
      const o = await person(subject.store(), { [p.domainId]: 'data_product_owner' });
      // A contract served by the product, with SLA verdicts: failed 14 h ago, passed 4 h ago (10 h of breach).
      const contractId = newId();
      const document = JSON.stringify({ id: `urn:test:contract:${contractId}` });
      await db.insertInto('contracts').values({ id: contractId, domain_id: p.domainId, external_id: `urn:test:contract:${contractId}`, name: 'Orders', status: 'active', current_version: '1.0.0', document, source: document }).execute();
      await db.insertInto('product_output_ports').values({ product_id: p.id, port_name: 'orders', contract_id: contractId }).execute();
      const run = async (hoursAgo: number, sla: 'passed' | 'failed') => {
        const id = newId();
        const at = new Date(Date.now() - hoursAgo * 3_600_000);
        await db.insertInto('check_runs').values({ id, contract_id: contractId, contract_version: '1.0.0', server: 'prod', trigger: 'scheduled', status: sla, queued_at: at, started_at: at, finished_at: at }).execute();
        await db.insertInto('check_results').values([
          { run_id: id, check_key: 'sla.freshness', status: sla, category: 'sla', name: 'Freshness', measured: null, details: null },
          { run_id: id, check_key: 'quality.rows', status: 'failed', category: 'quality', name: 'Rows', measured: null, details: null },
        ]).execute();
      };
      await run(14, 'failed');
      await run(4, 'passed');
      await service.updateSettings(o, { productRef: p.id, expectedVersion: 0, settings: { ...(await service.settings(p.id)).settings, framework: 'wsjf' } });
      const wsjf = { businessValue: 1, riskReduction: 1, jobSize: 1 };
      const measured = await service.create(o, p.id, { kind: 'defect', title: 'Late orders', requesterTeamId: p.teamId, evidence: [{ kind: 'feedback', ref: 'fb-9', note: '', teamId: other.teamId }], inputs: wsjf });
      expect(measured.suggested.timeCriticality).toEqual({ value: 20, basis: '2 consuming teams × 10 h of SLA breach in the last 30 days' });
      const unmeasured = await service.create(o, p.id, { kind: 'idea', title: 'Nobody affected yet', inputs: { ...wsjf, timeCriticality: 12 } });
      expect(unmeasured.suggested.timeCriticality).toBeNull();
      // A new breach 2 h ago: the check-run finish hook refreshes the open item in SQL (12 h × 2 teams).
      await run(2, 'failed');
      const errors: unknown[] = [];
      await inTransaction(db, (trx) => refreshCostOfDelayForContract(trx, contractId, (error) => errors.push(error)));
      expect(errors).toEqual([]);
      const refreshed = await service.get(measured.id);
      expect(refreshed.suggested.timeCriticality?.value).toBe(24);
      let ranking = await service.ranking(p.id, { limit: 10 });
      expect(ranking.items.map((entry) => entry.item.number)).toEqual([measured.number, unmeasured.number]);
      expect(ranking.items[0]?.evaluation.explanation).toContain('24 (suggested timeCriticality)');
      expect(ranking.items.map((entry) => entry.evaluation.score)).toEqual([26, 14]);
      // An entered value wins over the measured one, in the explanation and in the SQL ranking.
      const entered = await service.update(o, { id: measured.id, expectedVersion: refreshed.version, patch: { inputs: { timeCriticality: 2 } } });
      expect(entered.suggested.timeCriticality?.value).toBe(24);
      ranking = await service.ranking(p.id, { limit: 10 });
      expect(ranking.items.map((entry) => entry.item.number)).toEqual([unmeasured.number, measured.number]);
      expect(ranking.items[1]?.evaluation.explanation).not.toContain('suggested timeCriticality');
      expect(ranking.items.map((entry) => entry.evaluation.score)).toEqual([14, 4]);
    });

    it('keeps settings versioned: defaults at 0, stale writes refused, bad formulas located', async () => {
      const p = await insertTestProduct(subject.store().db);
      const o = await person(subject.store(), { [p.domainId]: 'data_product_owner' });
      expect(await service.settings(p.id)).toMatchObject({ version: 0, settings: { framework: 'rice' } });
      const saved = await service.updateSettings(o, { productRef: p.id, expectedVersion: 0, settings: { framework: 'wsjf', iceCombiner: 'product', valueThreshold: 5, effortThreshold: 5, custom: null } });
      expect(saved).toMatchObject({ version: 1, settings: { framework: 'wsjf' }, updatedBy: o.userId });
      expect(await thrown(service.updateSettings(o, { productRef: p.id, expectedVersion: 0, settings: saved.settings }))).toBeInstanceOf(PreconditionFailedError);
      const bad = (await thrown(service.updateSettings(o, { productRef: p.id, expectedVersion: 1, settings: { ...saved.settings, framework: 'custom', custom: { name: 'x', terms: [{ input: 'a', weight: 1 }, { input: 'a', weight: 2 }] } } }))) as InputError;
      expect(bad.problems).toEqual([{ pointer: '/custom/terms/1/input', detail: expect.stringContaining('appears twice') as unknown }]);
      expect(await thrown(service.updateSettings(consumer, { productRef: p.id, expectedVersion: 1, settings: saved.settings }))).toBeInstanceOf(NotAllowedError);
    });

    it('merges a duplicate: evidence and votes move, the duplicate stays read-only, both audited', async () => {
      const a = await service.create(owner, product.id, { kind: 'request', title: 'Add region', evidence: [{ kind: 'url', ref: 'https://a', note: '', teamId: null }] });
      const other = await insertTestProduct(subject.store().db);
      const b = await service.create(owner, product.id, { kind: 'request', title: 'Region column please', requesterTeamId: other.teamId, evidence: [{ kind: 'feedback', ref: 'fb-9', note: '', teamId: null }, { kind: 'url', ref: 'https://a', note: '', teamId: null }] });
      const voters = [await person(subject.store()), await person(subject.store())];
      await service.vote(voters[0] as Actor, a.id, true);
      await service.vote(voters[0] as Actor, b.id, true);
      await service.vote(voters[1] as Actor, b.id, true);
      expect((await service.vote(voters[1] as Actor, b.id, true)).votes).toBe(2);
      const merged = await service.merge(owner, { id: a.id, expectedVersion: 1, duplicateId: b.id });
      expect(merged.votes).toBe(2);
      expect(merged.evidence.map((e) => `${e.kind}:${e.ref}`)).toEqual(['url:https://a', 'feedback:fb-9', `item:${b.id}`]);
      expect(merged.suggested.reach?.value).toBe(1);
      const dup = await service.get(b.id);
      expect(dup).toMatchObject({ duplicateOfId: a.id, votes: 0, evidence: [] });
      expect(await thrown(service.update(owner, { id: b.id, expectedVersion: dup.version, patch: { title: 'x' } }))).toBeInstanceOf(ConflictError);
      expect(await thrown(service.vote(consumer, b.id, true))).toBeInstanceOf(ConflictError);
      expect(await thrown(service.merge(owner, { id: a.id, expectedVersion: merged.version, duplicateId: b.id }))).toBeInstanceOf(ConflictError);
      expect(await thrown(service.merge(owner, { id: a.id, expectedVersion: 1, duplicateId: (await service.create(owner, product.id, { kind: 'idea', title: 'z' })).id }))).toBeInstanceOf(PreconditionFailedError);
      const ranked = await service.ranking(product.id, { limit: 500 });
      expect(ranked.items.some((entry) => entry.item.id === b.id)).toBe(false);
      const actions = await subject.store().db.selectFrom('audit_events').select(['action', 'entity_id']).where('entity_id', 'in', [a.id, b.id]).where('action', 'like', '%merge%').execute();
      expect(actions).toHaveLength(1);
      const marked = await subject.store().db.selectFrom('audit_events').select('action').where('entity_id', '=', b.id).where('action', '=', 'backlog_item.mark_duplicate').execute();
      expect(marked).toHaveLength(1);
    });

    it('resolves merges racing in opposite directions: one wins, the other is refused, no deadlock', async () => {
      for (let round = 0; round < 3; round++) {
        const a = await service.create(owner, product.id, { kind: 'request', title: `Race A${round}` });
        const b = await service.create(owner, product.id, { kind: 'request', title: `Race B${round}` });
        const results = await Promise.allSettled([service.merge(owner, { id: a.id, expectedVersion: 1, duplicateId: b.id }), service.merge(owner, { id: b.id, expectedVersion: 1, duplicateId: a.id })]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const failure = results.find((r) => r.status === 'rejected');
        const reason: unknown = failure?.status === 'rejected' ? failure.reason : undefined;
        expect(reason instanceof PreconditionFailedError || reason instanceof ConflictError).toBe(true);
        const [afterA, afterB] = [await service.get(a.id), await service.get(b.id)];
        expect([afterA.duplicateOfId, afterB.duplicateOfId].filter((id) => id !== null)).toHaveLength(1);
      }
    });

    it('imports a Jira CSV (requesters matched by e-mail), reports row:column errors, and exports what it imported', async () => {
      const p = await insertTestProduct(subject.store().db);
      const o = await person(subject.store(), { [p.domainId]: 'data_product_owner' });
      const header = 'Issue key,Summary,Issue Type,Status,Priority,Description,Labels,Story Points,Created,Reporter';
      const broken = (await thrown(service.importItems(o, p.id, { format: 'csv', content: `${header}\nK-1,Ok,Story,To Do,High,,,3,23/Nov/26 7:02 PM,\nK-2,Bad,Spike,To Do,High,,,x,,\n` }))) as InputError;
      expect(broken).toBeInstanceOf(InputError);
      expect(broken.problems.map((problem) => problem.detail)).toEqual([expect.stringMatching(/^row 3, column 3 \(Issue Type\): unknown issue type "Spike"/), 'row 3, column 8 (Story Points): "x" is not a number of 0 or more']);
      expect((await service.list(p.id, {})).items).toEqual([]);
      const content = `${header}\nK-1,Add region,Story,In Progress,Highest,"Multi-line\ndescription",geo,5,23/Nov/26 7:02 PM,${consumer.label}\nK-2,Old bug,Bug,Won't Do,Low,,,,01/Oct/26,someone@elsewhere.example\n`;
      const dry = await service.importItems(o, p.id, { format: 'csv', content, dryRun: true });
      expect(dry).toEqual({ format: 'jira-csv', dryRun: true, imported: 2, numbers: [1, 2] });
      expect((await service.list(p.id, {})).items).toEqual([]);
      const done = await service.importItems(o, p.id, { format: 'csv', content });
      expect(done.imported).toBe(2);
      const [first, second] = (await service.list(p.id, {})).items;
      expect(first).toMatchObject({ kind: 'story', state: 'in_progress', labels: ['geo'], estimate: 5, requester: { userId: consumer.userId }, source: 'Jira K-1', reportedAt: '2026-11-23T19:02:00.000Z', inputs: { moscow: { value: 'must', enteredBy: { id: o.userId } } } });
      expect(second).toMatchObject({ kind: 'defect', state: 'declined', requester: { userId: null, label: 'someone@elsewhere.example' } });
      const exported = await service.exportBacklog(p.id);
      expect(exported.items.map((item) => item.title)).toEqual(['Add region', 'Old bug']);
      const again = await service.importItems(o, p.id, { format: 'json', items: exported.items.map((item) => ({ kind: item.kind, title: item.title, state: item.state, declineReason: item.declineReason, labels: item.labels })) });
      expect(again.numbers).toEqual([3, 4]);
      const badJson = (await thrown(service.importItems(o, p.id, { format: 'json', items: [{ kind: 'idea', title: 'x', inputs: { effort: 0 } }] }))) as InputError;
      expect(badJson.problems[0]?.pointer).toBe('/items/0/inputs/effort');
      expect(await thrown(service.importItems(consumer, p.id, { format: 'csv', content }))).toBeInstanceOf(NotAllowedError);
    });
  });
}
