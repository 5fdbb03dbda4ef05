/**
 * Run reports: JSON (the documented shape), JUnit XML for CI systems, and plain text for people.
 * Results never contain credentials: connectors receive them from the environment, reports only the
 * server's name.
 */
import type { CheckResult } from './CheckResult';
import type { RunResult } from './runContract';

/** The run as JSON text (two-space indented, trailing newline). */
export function jsonReport(run: RunResult): string {
  return `${JSON.stringify(run, null, 2)}\n`;
}

function xml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c)
    // XML 1.0 forbids most control characters; drop them rather than write an unreadable file.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

function detail(check: CheckResult): string {
  const lines = [check.message, `measured: ${String(check.measured)}`, `expected: ${String(check.expected)}`];
  for (const sample of check.samples) lines.push(`sample: ${JSON.stringify(sample)}`);
  return lines.join('\n');
}

/** The run as JUnit XML: one testsuite per object, failed → <failure>, error → <error>, skipped → <skipped>. */
export function junitReport(run: RunResult): string {
  const groups = new Map<string, CheckResult[]>();
  for (const check of run.checks) {
    const key = check.object ?? run.contract.id;
    groups.set(key, [...(groups.get(key) ?? []), check]);
  }
  const count = (checks: CheckResult[], outcome: CheckResult['result']): number => checks.filter((c) => c.result === outcome).length;
  const seconds = (run.durationMs / 1000).toFixed(3);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(`meshboard test ${run.contract.id}`)}" tests="${run.checks.length}" failures="${count(run.checks, 'failed')}" errors="${count(run.checks, 'error')}" skipped="${count(run.checks, 'skipped')}" time="${seconds}">`,
  ];
  for (const [name, checks] of groups) {
    out.push(`  <testsuite name="${xml(name)}" tests="${checks.length}" failures="${count(checks, 'failed')}" errors="${count(checks, 'error')}" skipped="${count(checks, 'skipped')}">`);
    for (const check of checks) {
      out.push(`    <testcase classname="${xml(`${run.contract.id}.${check.category}`)}" name="${xml(`${check.id}: ${check.name}`)}">`);
      if (check.result === 'failed') out.push(`      <failure message="${xml(check.message)}" type="${xml(check.type)}">${xml(detail(check))}</failure>`);
      if (check.result === 'error') out.push(`      <error message="${xml(check.message)}" type="${xml(check.type)}">${xml(detail(check))}</error>`);
      if (check.result === 'skipped') out.push(`      <skipped message="${xml(check.message)}"/>`);
      if (check.result === 'warning') out.push(`      <system-out>${xml(`warning: ${detail(check)}`)}</system-out>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}

const marks: Record<CheckResult['result'], string> = { passed: 'PASS', warning: 'WARN', failed: 'FAIL', error: 'ERR ', skipped: 'SKIP' };

/** The run as text: one line per check, samples indented under failures, and a summary line. */
export function textReport(run: RunResult): string {
  const lines = [`Contract ${run.contract.id}${run.contract.version === null ? '' : ` ${run.contract.version}`} on server ${run.server ?? '?'}`];
  for (const warning of run.warnings) lines.push(`WARNING  ${warning}`);
  for (const check of run.checks) {
    lines.push(`${marks[check.result]}  ${check.id}  ${check.message}`);
    for (const sample of check.samples) lines.push(`        ${JSON.stringify(sample)}`);
  }
  const tally = (['passed', 'warning', 'failed', 'error', 'skipped'] as const)
    .map((r) => `${run.checks.filter((c) => c.result === r).length} ${r}`)
    .join(', ');
  lines.push(`Result: ${run.result} (${tally}) in ${run.durationMs} ms`, '');
  return lines.join('\n');
}
