import type { DiffResult } from './Change';
import { ChangeLog } from './ChangeLog';
import { code, diffDescription, diffInformational, diffStatus, diffKeyedList, diffTags, diffTeam } from './describeChanges';
import { parseVersion } from './suggestVersion';
import { asArray, asString, isRecord, matchItems, sameValue, show, type Json } from './values';

const records = (value: unknown): Json[] => asArray(value).filter(isRecord);
const portKey = (port: Json): string => `${show(port['name'])}@${show(port['version'])}`;
const majorOf = (version: unknown): number | undefined => {
  const text = asString(version);
  return text === undefined ? undefined : parseVersion(text)?.major;
};

/**
 * Compares two versions of an ODPS v1.0.0 (or v0.9.0) product and classifies every change. Output ports
 * are what consumers use: a removed port, a port bound to another contract or moved to a new major
 * version is breaking; a new port or a minor/patch port upgrade is not. Input ports are lineage (not
 * read by consumers) and are non-breaking; status, description, team and support are informational.
 */
export function diffProducts(before: unknown, after: unknown): DiffResult {
  const log = new ChangeLog();
  const a = isRecord(before) ? before : {};
  const b = isRecord(after) ? after : {};

  if (asString(a['id']) !== asString(b['id'])) {
    log.add(['id'], 'product-id-changed', 'breaking', `The product id changed from ${code(show(a['id']))} to ${code(show(b['id']))}: subscriptions and links to the old id no longer resolve`);
  }
  diffStatus(log, a['status'], b['status'], 'product');
  diffInformational(log, a, b, ['apiVersion', 'name', 'domain', 'tenant', 'authoritativeDefinitions', 'customProperties', 'productCreatedTs']);
  diffDescription(log, a['description'], b['description']);
  diffTags(log, ['tags'], a['tags'], b['tags'], 'the product');
  diffKeyedList(log, { key: 'support', field: 'channel', a, b, noun: 'Support channel' });
  diffTeam(log, a['team'], b['team']);
  diffOutputPorts(log, records(a['outputPorts']), records(b['outputPorts']));
  diffInputPorts(log, records(a['inputPorts']), records(b['inputPorts']));
  diffManagementPorts(log, records(a['managementPorts']), records(b['managementPorts']));
  return log.result('product', asString(a['version']), asString(b['version']));
}

function diffOutputPorts(log: ChangeLog, before: Json[], after: Json[]): void {
  // The ODPS key of a port is name + version; several versions of one port may be offered side by side.
  const pairs = matchItems(before, after, { key: portKey });
  const removed = pairs.filter((p) => p.after === undefined);
  const added = pairs.filter((p) => p.before === undefined);
  const upgradedTo = new Set<number>();
  for (const pair of removed) {
    if (pair.before === undefined) continue;
    const old = pair.before.item;
    const name = show(old['name']);
    // A removed version is an upgrade when the same port is now offered at another version.
    const successor = added.find((p) => p.after !== undefined && !upgradedTo.has(p.after.index) && show(p.after.item['name']) === name);
    if (successor?.after !== undefined) {
      upgradedTo.add(successor.after.index);
      const next = successor.after.item;
      const path = ['outputPorts', successor.after.index];
      const majorBefore = majorOf(old['version']);
      const majorAfter = majorOf(next['version']);
      const from = `${show(old['version'])} to ${show(next['version'])}`;
      if (majorBefore === undefined || majorAfter === undefined || majorAfter !== majorBefore) {
        log.add(path, 'output-port-major-version', 'breaking', `Output port ${code(name)} moved from version ${from} (a new major version; ${show(old['version'])} is no longer offered)`);
      } else {
        log.add(path, 'output-port-version-changed', 'non-breaking', `Output port ${code(name)} upgraded from version ${from}`);
      }
      diffPortContract(log, old, next, path);
      continue;
    }
    log.add(['outputPorts', pair.before.index], 'output-port-removed', 'breaking', `Output port ${code(name)} version ${show(old['version'])} was removed: its consumers lose access`);
  }
  for (const pair of added) {
    if (pair.after === undefined || upgradedTo.has(pair.after.index)) continue;
    const port = pair.after.item;
    log.add(['outputPorts', pair.after.index], 'output-port-added', 'non-breaking', `Output port ${code(show(port['name']))} version ${show(port['version'])} was added${port['contractId'] ? ` (contract ${code(show(port['contractId']))})` : ''}`);
  }
  for (const pair of pairs) {
    if (pair.before === undefined || pair.after === undefined) continue;
    const path = ['outputPorts', pair.after.index];
    const a = pair.before.item;
    const b = pair.after.item;
    diffPortContract(log, a, b, path);
    if (!sameValue(a['type'], b['type'])) {
      log.add([...path, 'type'], 'output-port-type-changed', 'breaking', `Output port ${code(show(b['name']))} is now of type ${show(b['type'])} (was ${show(a['type'])}): consumers read it differently`);
    }
    if (!sameValue(a['inputContracts'], b['inputContracts'])) {
      log.add([...path, 'inputContracts'], 'output-port-lineage-changed', 'non-breaking', `Output port ${code(show(b['name']))} is now built from different input contracts`);
    }
    const docs = ['description', 'tags', 'customProperties', 'authoritativeDefinitions', 'sbom'].filter((key) => !sameValue(a[key], b[key]));
    if (docs.length > 0) {
      log.add(path, 'output-port-documentation-changed', 'informational', `Output port ${code(show(b['name']))}: ${docs.join(', ')} changed`);
    }
  }
}

function diffPortContract(log: ChangeLog, a: Json, b: Json, path: (string | number)[]): void {
  if (sameValue(a['contractId'], b['contractId'])) return;
  const name = code(show(b['name']));
  if (b['contractId'] === undefined) {
    log.add([...path, 'contractId'], 'output-port-contract-removed', 'breaking', `Output port ${name} is no longer bound to a contract (was ${code(show(a['contractId']))}): nothing is promised any more`);
  } else {
    log.add([...path, 'contractId'], 'output-port-contract-changed', 'breaking', `Output port ${name} is now bound to contract ${code(show(b['contractId']))} (was ${code(show(a['contractId']))})`);
  }
}

function diffInputPorts(log: ChangeLog, before: Json[], after: Json[]): void {
  for (const pair of matchItems(before, after, { key: portKey })) {
    if (pair.before === undefined && pair.after !== undefined) {
      const port = pair.after.item;
      log.add(['inputPorts', pair.after.index], 'input-port-added', 'non-breaking', `Now reads from ${code(show(port['name']))} version ${show(port['version'])} (contract ${code(show(port['contractId']))})`);
    } else if (pair.before !== undefined && pair.after === undefined) {
      const port = pair.before.item;
      log.add(['inputPorts', pair.before.index], 'input-port-removed', 'non-breaking', `No longer reads from ${code(show(port['name']))} version ${show(port['version'])}`);
    } else if (pair.before !== undefined && pair.after !== undefined && !sameValue(pair.before.item, pair.after.item)) {
      const a = pair.before.item;
      const b = pair.after.item;
      const severity = sameValue(a['contractId'], b['contractId']) ? 'informational' : 'non-breaking';
      const detail = severity === 'non-breaking' ? `now uses contract ${code(show(b['contractId']))} (was ${code(show(a['contractId']))})` : 'details changed';
      log.add(['inputPorts', pair.after.index], 'input-port-changed', severity, `Input ${code(show(b['name']))} ${detail}`);
    }
  }
}

function diffManagementPorts(log: ChangeLog, before: Json[], after: Json[]): void {
  for (const pair of matchItems(before, after, { key: (port) => asString(port['name']) })) {
    const port = pair.after ?? pair.before;
    if (port === undefined) continue;
    const name = code(show(port.item['name']));
    if (pair.before === undefined) log.add(['managementPorts', port.index], 'management-port-added', 'informational', `Management port ${name} was added`);
    else if (pair.after === undefined) log.add(['managementPorts', port.index], 'management-port-removed', 'informational', `Management port ${name} was removed`);
    else if (!sameValue(pair.before.item, pair.after.item)) log.add(['managementPorts', port.index], 'management-port-changed', 'informational', `Management port ${name} changed`);
  }
}
