// Benchmark of `meshboard lint`'s engine (lintDocuments) against raw ajv validation of the same
// documents with the same compiled schema. Two workloads: the large AdventureWorks ODCS example, and
// 1,000 generated contracts (1 in 10 with a typo, so the error paths — messages, suggestions,
// positions — are exercised too). Each figure is the median of several repetitions after a warm-up.
// Two ratios, each against a baseline measured in the same run:
// - check / raw ajv: on already parsed values, our validation (ajv + messages + semantic rules) against
//   ajv alone with the same compiled schema. The overhead of what we add to the schema check; target < 2×.
// - lint / (yaml.parse + raw ajv): end to end on the texts, against what a bare validator must do on the
//   same files (plain YAML parse, then ajv). Adds safe reading with positions; target < 2×.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { createValidator, lintDocuments, readSource, validateOdcs } from '@meshboard/model';

const repetitions = Number(process.env.BENCH_REPETITIONS ?? 5);
const conformance = fileURLToPath(new URL('../../shared/conformance/', import.meta.url));
const adventureWorks = readFileSync(`${conformance}bitol-odcs/main/docs/examples/all/postgresql-adventureworks-contract.odcs.yaml`, 'utf8');

/** A deterministic contract: 3 objects × 12 properties, quality rules, relationships, SLAs. */
function generated(n: number): string {
  const objects = ['orders', 'customers', 'items'].map((name, o) => ({
    id: `${name}_obj`,
    name,
    physicalType: 'table',
    description: `The ${name} of shop ${n}.`,
    properties: Array.from({ length: 12 }, (_, p) => ({
      id: `${name}_p${p}`,
      name: `${name}_col_${p}`,
      logicalType: n % 10 === 0 && o === 0 && p === 3 ? 'strin' : ['string', 'integer', 'number', 'date'][p % 4],
      required: p % 2 === 0,
      quality: p % 3 === 0 ? [{ id: `q${p}`, type: 'library', metric: 'nullValues', mustBe: 0 }] : undefined,
      relationships: o === 0 && p === 1 ? [{ to: 'customers.customers_col_0' }] : undefined,
    })),
    quality: [
      { id: 'rows', type: 'library', metric: 'rowCount', mustBeBetween: [1, 1_000_000] },
      { id: 'sql', type: 'sql', query: 'SELECT count(*) FROM {object}', mustBeGreaterThan: 0 },
    ],
  }));
  return stringify({
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: `contract-${n}`,
    version: '1.0.0',
    status: 'active',
    name: `Shop ${n}`,
    servers: [{ server: 'prod', type: 'postgres', host: 'db', port: 5432, database: 'shop', schema: 'public' }],
    schema: objects,
    slaProperties: [{ property: 'latency', value: 4, unit: 'd' }, { property: 'retention', value: 3, unit: 'y' }],
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Mean time of one `run`, repeating it until at least 200 ms have passed (small workloads). */
function sample(run: () => void): number {
  let runs = 0;
  const started = performance.now();
  do {
    run();
    runs++;
  } while (performance.now() - started < 200);
  return (performance.now() - started) / runs;
}

/**
 * Times `subject` against `baseline`, alternating them within each repetition so a busy machine slows
 * both alike; returns the median time of each and the median of the per-repetition ratios. A warm-up of
 * at least 300 ms each lets the JIT compile the hot paths first.
 */
function compare(baseline: () => void, subject: () => void): { baseline: number; subject: number; ratio: number } {
  for (const run of [baseline, subject]) {
    const warmUntil = performance.now() + 300;
    do run();
    while (performance.now() < warmUntil);
  }
  const baselines: number[] = [];
  const subjects: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const b = sample(baseline);
    const s = sample(subject);
    baselines.push(b);
    subjects.push(s);
    ratios.push(s / b);
  }
  return { baseline: median(baselines), subject: median(subjects), ratio: median(ratios) };
}

function measure(name: string, texts: string[]) {
  const validator = createValidator();
  const sources = texts.map((text, i) => ({ path: `${name}-${i}.yaml`, text }));
  const values = texts.map((text) => readSource('x', text).value);
  const onValues = compare(
    () => {
      for (const value of values) validator.errors('odcs-3.1.0', value);
    },
    () => {
      for (const value of values) validateOdcs(value, { validator });
    },
  );
  let invalid = 0;
  const onTexts = compare(
    () => {
      for (const source of sources) validator.errors('odcs-3.1.0', parse(source.text));
    },
    () => {
      invalid = lintDocuments(sources, { validator }).files.filter((f) => !f.valid).length;
    },
  );
  const rawAjv = onValues.baseline;
  const check = onValues.subject;
  const bare = onTexts.baseline;
  const lint = onTexts.subject;
  const result = {
    workload: name,
    files: texts.length,
    bytes: texts.reduce((sum, t) => sum + t.length, 0),
    invalidFiles: invalid,
    medianMs: { rawAjv, check, yamlParsePlusRawAjv: bare, lint },
    filesPerSecond: {
      lint: Math.round((texts.length / lint) * 1000),
      yamlParsePlusRawAjv: Math.round((texts.length / bare) * 1000),
      check: Math.round((texts.length / check) * 1000),
      rawAjv: Math.round((texts.length / rawAjv) * 1000),
    },
    ratio: {
      checkVsRawAjv: Number(onValues.ratio.toFixed(2)),
      lintVsYamlParsePlusRawAjv: Number(onTexts.ratio.toFixed(2)),
    },
  };
  console.log(
    `${name}: ${result.files} files (${invalid} invalid). lint ${lint.toFixed(1)} ms = ${result.filesPerSecond.lint} files/s; ` +
      `yaml.parse+ajv ${bare.toFixed(1)} ms; lint / (yaml.parse+ajv) = ${result.ratio.lintVsYamlParsePlusRawAjv}x. ` +
      `On parsed values: check ${check.toFixed(1)} ms, raw ajv ${rawAjv.toFixed(1)} ms; check / ajv = ${result.ratio.checkVsRawAjv}x`,
  );
  return result;
}

const results = {
  date: new Date().toISOString(),
  node: process.version,
  repetitions,
  workloads: [measure('adventureworks', [adventureWorks]), measure('generated-1000', Array.from({ length: 1000 }, (_, n) => generated(n)))],
};
const directory = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(directory, { recursive: true });
writeFileSync(`${directory}lint.json`, `${JSON.stringify(results, null, 2)}\n`);
console.log(`wrote bench/results/lint.json`);
