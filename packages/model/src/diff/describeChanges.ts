import type { ChangeLog } from './ChangeLog';
import { asArray, asString, isRecord, matchItems, sameValue, show, type Json } from './values';

/** Readable names for top-level fields, used in changelog lines. */
const labels: Record<string, string> = {
  apiVersion: 'Standard version',
  dataProduct: 'Data product',
  slaDefaultElement: 'Default SLA element',
  contractCreatedTs: 'Creation timestamp',
  productCreatedTs: 'Creation timestamp',
  authoritativeDefinitions: 'Authoritative definitions',
  customProperties: 'Custom properties',
  price: 'Price',
  name: 'Name',
  domain: 'Domain',
  tenant: 'Tenant',
};

/** `dataProduct` → `data-product`: the stem of a change id. */
export function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Wraps a name in backticks for changelog lines. */
export function code(text: string): string {
  return `\`${text}\``;
}

/** "Domain set to `sales`", "Tenant removed (was `x`)", "Name changed from `a` to `b`", "Price changed". */
export function describeValueChange(key: string, before: unknown, after: unknown): string {
  const label = labels[key] ?? key.charAt(0).toUpperCase() + key.slice(1);
  const scalar = (value: unknown): boolean => value === undefined || (typeof value !== 'object' && value !== null);
  if (!scalar(before) || !scalar(after)) {
    return before === undefined ? `${label} added` : after === undefined ? `${label} removed` : `${label} changed`;
  }
  if (before === undefined) return `${label} set to ${code(show(after))}`;
  if (after === undefined) return `${label} removed (was ${code(show(before))})`;
  return `${label} changed from ${code(show(before))} to ${code(show(after))}`;
}

/** Records an informational change for each of `keys` whose value differs between `a` and `b`. */
export function diffInformational(log: ChangeLog, a: Json, b: Json, keys: readonly string[]): void {
  for (const key of keys) {
    if (!sameValue(a[key], b[key])) log.add([key], `${kebab(key)}-changed`, 'informational', describeValueChange(key, a[key], b[key]));
  }
}

/** Records a tag change as one informational line listing the tags added and removed. */
export function diffTags(log: ChangeLog, path: (string | number)[], before: unknown, after: unknown, owner: string): void {
  if (sameValue(before, after)) return;
  const a = asArray(before).map(show);
  const b = asArray(after).map(show);
  const added = b.filter((tag) => !a.includes(tag));
  const removed = a.filter((tag) => !b.includes(tag));
  const parts = [added.length > 0 ? `added ${added.map(code).join(', ')}` : '', removed.length > 0 ? `removed ${removed.map(code).join(', ')}` : '']
    .filter(Boolean)
    .join('; ');
  log.add(path, 'tags-changed', 'informational', `Tags of ${owner} changed${parts ? `: ${parts}` : ' (order)'}`);
}

/** What list to compare, what identifies an item, and how to name it. */
export interface KeyedListOptions {
  key: string;
  field: string;
  a: Json;
  b: Json;
  noun: string;
}

/** Records additions, removals and changes in a list of objects identified by one field (support channels, roles). */
export function diffKeyedList(log: ChangeLog, options: KeyedListOptions): void {
  const { key, field, a, b, noun } = options;
  if (sameValue(a[key], b[key])) return;
  const items = (value: unknown): Json[] => asArray(value).filter(isRecord);
  for (const pair of matchItems(items(a[key]), items(b[key]), { key: (item) => asString(item[field]) })) {
    const label = code(show((pair.after ?? pair.before)?.item[field]));
    if (pair.before === undefined && pair.after !== undefined) {
      log.add([key, pair.after.index], `${kebab(key)}-added`, 'informational', `${noun} ${label} added`);
    } else if (pair.after === undefined && pair.before !== undefined) {
      log.add([key, pair.before.index], `${kebab(key)}-removed`, 'informational', `${noun} ${label} removed`);
    } else if (pair.before !== undefined && pair.after !== undefined && !sameValue(pair.before.item, pair.after.item)) {
      log.add([key, pair.after.index], `${kebab(key)}-changed`, 'informational', `${noun} ${label} changed`);
    }
  }
}

/** Records team membership changes (ODCS 3.1/ODPS `team.members`, or ODCS 3.0's bare member list). */
export function diffTeam(log: ChangeLog, before: unknown, after: unknown): void {
  if (sameValue(before, after)) return;
  const members = (team: unknown): Json[] => asArray(isRecord(team) ? team['members'] : team).filter(isRecord);
  const membersPath = (team: unknown): (string | number)[] => (isRecord(team) ? ['team', 'members'] : ['team']);
  const pairs = matchItems(members(before), members(after), { key: (m) => asString(m['username']) ?? asString(m['name']) });
  let listed = false;
  for (const pair of pairs) {
    const item = pair.after?.item ?? pair.before?.item;
    const who = code(show(item?.['username'] ?? item?.['name']));
    if (pair.before === undefined && pair.after !== undefined) {
      const role = pair.after.item['role'];
      log.add([...membersPath(after), pair.after.index], 'team-member-added', 'informational', `Team member ${who} joined${role ? ` as ${show(role)}` : ''}`);
      listed = true;
    } else if (pair.after === undefined && pair.before !== undefined) {
      log.add([...membersPath(before), pair.before.index], 'team-member-removed', 'informational', `Team member ${who} left the team`);
      listed = true;
    } else if (pair.before !== undefined && pair.after !== undefined && !sameValue(pair.before.item, pair.after.item)) {
      log.add([...membersPath(after), pair.after.index], 'team-member-changed', 'informational', `Team member ${who} changed (role or dates)`);
      listed = true;
    }
  }
  if (!listed) log.add(['team'], 'team-changed', 'informational', 'Team details changed');
}

/** Records a lifecycle status change; deprecation and retirement are called out for consumers. */
export function diffStatus(log: ChangeLog, before: unknown, after: unknown, what: 'contract' | 'product'): void {
  if (sameValue(before, after)) return;
  const to = show(after);
  if (to === 'deprecated') {
    log.add(['status'], 'status-deprecated', 'informational', `DEPRECATED: the ${what} is now deprecated (was ${show(before)}); plan to move off it before it is retired`);
  } else if (to === 'retired') {
    log.add(['status'], 'status-retired', 'informational', `RETIRED: the ${what} is now retired (was ${show(before)}); it is no longer maintained`);
  } else {
    log.add(['status'], 'status-changed', 'informational', `Status changed from ${show(before)} to ${to}`);
  }
}

/** Records a change of the `description` block (purpose, limitations, usage), naming the parts that changed. */
export function diffDescription(log: ChangeLog, before: unknown, after: unknown): void {
  if (sameValue(before, after)) return;
  const a = isRecord(before) ? before : {};
  const b = isRecord(after) ? after : {};
  const parts = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => !sameValue(a[key], b[key]));
  const limitations = parts.includes('limitations') ? `; limitations now read: "${show(b['limitations'])}"` : '';
  log.add(['description'], 'description-changed', 'informational', `Description updated (${parts.join(', ') || 'text'})${limitations}`);
}
