import type { JsonValue } from '../store/Database';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function collectRules(value: unknown, into: Record<string, unknown>[]): void {
  if (!Array.isArray(value)) return;
  for (const item of value) if (isRecord(item)) into.push(item);
}

function collectProperties(properties: unknown, into: Record<string, unknown>[]): void {
  if (!Array.isArray(properties)) return;
  for (const property of properties) {
    if (!isRecord(property)) continue;
    collectRules(property.quality, into);
    collectProperties(property.properties, into);
    if (isRecord(property.items)) {
      collectRules(property.items.quality, into);
      collectProperties(property.items.properties, into);
    }
  }
}

/**
 * The distinct cron expressions of a contract's quality rules (ODCS 3.1 `schedule` + `scheduler`), in
 * first-seen order. A rule's `schedule` counts when its `scheduler` is `cron` (any case) or absent;
 * other schedulers (e.g. `airflow`) are run by that tool, not by Meshboard. Rules are read from the
 * top-level `quality`, every schema object and every (nested) property.
 */
export function contractSchedules(document: JsonValue): string[] {
  if (!isRecord(document)) return [];
  const rules: Record<string, unknown>[] = [];
  collectRules(document.quality, rules);
  if (Array.isArray(document.schema)) {
    for (const object of document.schema) {
      if (!isRecord(object)) continue;
      collectRules(object.quality, rules);
      collectProperties(object.properties, rules);
    }
  }
  const crons: string[] = [];
  for (const rule of rules) {
    const scheduler = rule.scheduler;
    if (scheduler !== undefined && (typeof scheduler !== 'string' || scheduler.trim().toLowerCase() !== 'cron')) continue;
    if (typeof rule.schedule !== 'string') continue;
    const cron = rule.schedule.trim().replace(/\s+/g, ' ');
    if (cron !== '' && !crons.includes(cron)) crons.push(cron);
  }
  return crons;
}
