import type { Finding } from '../../standards/detect';
import { odcsElements, type OdcsElement, pointerOf, records } from './odcsWalk';

/**
 * `semantic/between-order`: `mustBeBetween`/`mustNotBeBetween` list the lower bound first (the standard:
 * "smallest number first"); reversed bounds make a rule that can never pass (or never fail).
 * `semantic/query-placeholder`: a SQL rule's query may use only `{object}` and, in a property's rule,
 * `{property}`; any other `{name}` would reach the database verbatim. `${name}` (the peer tool's server
 * variables) is a warning: other tools do not substitute it.
 */
export function qualityRules(contract: Record<string, unknown>, elements: readonly OdcsElement[] = odcsElements(contract)): Finding[] {
  const findings: Finding[] = [];
  for (const { element, path, level } of elements) {
    if (!Array.isArray(element.quality)) continue;
    for (const { item: rule, index } of records(element.quality)) {
      const at = [...path, 'quality', index];
      for (const key of ['mustBeBetween', 'mustNotBeBetween'] as const) {
        const bounds = rule[key];
        if (!Array.isArray(bounds) || bounds.length !== 2) continue;
        const [lower, upper] = bounds as unknown[];
        if (typeof lower === 'number' && typeof upper === 'number' && lower > upper) {
          findings.push({
            pointer: pointerOf([...at, key]),
            message: `${key} bounds are reversed: ${lower} > ${upper}; write [${upper}, ${lower}]`,
            rule: 'semantic/between-order',
            severity: 'error',
          });
        }
      }
      if (typeof rule.query === 'string') findings.push(...placeholders(rule.query, pointerOf([...at, 'query']), level));
    }
  }
  return findings;
}

/** The placeholder problems of one query; string literals and comments are skipped. */
export function placeholders(query: string, pointer: string, level: 'object' | 'property'): Finding[] {
  const findings: Finding[] = [];
  const code = query.replace(/'(?:[^']|'')*'|--[^\n]*|\/\*[\s\S]*?\*\//g, (text) => ' '.repeat(text.length));
  for (const match of code.matchAll(/(\$?)\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
    const [text, dollar, name] = match;
    if (dollar === '$') {
      findings.push({
        pointer,
        message: `"${text}" is a tool-specific variable; ODCS queries use {object}${level === 'property' ? ' and {property}' : ''}`,
        rule: 'semantic/query-placeholder',
        severity: 'warning',
      });
    } else if (name === 'property' && level === 'object') {
      findings.push({
        pointer,
        message: '"{property}" is only defined in a property\'s quality rule; this rule belongs to a schema object',
        rule: 'semantic/query-placeholder',
        severity: 'error',
      });
    } else if (name !== 'object' && name !== 'property') {
      findings.push({
        pointer,
        message: `unknown placeholder "${text}"; only {object}${level === 'property' ? ' and {property} are' : ' is'} replaced`,
        rule: 'semantic/query-placeholder',
        severity: 'error',
      });
    }
  }
  return findings;
}
