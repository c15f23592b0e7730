#!/usr/bin/env node
/**
 * Sums vitest JSON reports (EGOV_TEST_JSON=file npm test) into the lines .ci/run ends with:
 *
 *   node scripts/ci-summary.mjs sqlite=test-results/ci/sqlite.json:0 postgres=test-results/ci/postgres.json:1
 *
 * Each argument is `engine=report.json:exitCode`. Prints the failed tests (up to 50), then one
 * line per engine, then as the very last line the total: `N passed, N failed[, N skipped]`.
 * Exits 1 if any run failed or if no test ran at all, else 0.
 *
 * A run counts as failed even when its report shows no failed test if:
 *   - there is no (readable) report: the run crashed or timed out → 1 failed;
 *   - a test file failed outside any test (import error, failing beforeAll/afterAll) → 1 failed per file;
 *   - vitest exited non-zero anyway (unhandled error, …) → at least 1 failed.
 * No dependencies: it runs before and without node_modules.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const MAX_LISTED = 50;

/** @param {string} arg */
function parseArg(arg) {
  const m = /^([^=]+)=(.+):(-?\d+)$/.exec(arg);
  if (!m) throw new Error(`bad argument ${JSON.stringify(arg)}: expected engine=report.json:exitCode`);
  return { engine: m[1], file: m[2], exitCode: Number(m[3]) };
}

/**
 * @param {{ engine: string, file: string, exitCode: number }} run
 * @returns {{ engine: string, passed: number, failed: number, skipped: number, notes: string[], failures: string[] }}
 */
export function summarizeRun({ engine, file, exitCode }) {
  const notes = [];
  const failures = [];
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const why = err && typeof err === 'object' && 'code' in err && err.code === 'ENOENT' ? 'no report' : `unreadable report (${err?.message ?? err})`;
    const how = exitCode === 124 ? 'timed out' : `crashed, exit code ${exitCode}`;
    notes.push(`${engine}: ${why}: the run ${how}; counted as 1 failed`);
    return { engine, passed: 0, failed: 1, skipped: 0, notes, failures: [`${engine}: the whole run (${how})`] };
  }
  const num = (v) => (Number.isFinite(v) ? v : 0);
  const passed = num(report.numPassedTests);
  let failed = num(report.numFailedTests);
  const skipped = num(report.numPendingTests) + num(report.numTodoTests);
  const cwd = process.cwd();
  for (const fileResult of Array.isArray(report.testResults) ? report.testResults : []) {
    const name = path.relative(cwd, String(fileResult.name ?? '?'));
    const assertions = Array.isArray(fileResult.assertionResults) ? fileResult.assertionResults : [];
    const failedTests = assertions.filter((a) => a.status === 'failed');
    for (const a of failedTests) failures.push(`${engine}: ${name} > ${a.fullName ?? a.title}`);
    if (fileResult.status === 'failed' && failedTests.length === 0) {
      failed += 1;
      const message = String(fileResult.message ?? '').split('\n')[0].slice(0, 200);
      failures.push(`${engine}: ${name} (the file failed outside its tests${message ? `: ${message}` : ''})`);
    }
  }
  if (exitCode !== 0 && failed === 0) {
    failed = 1;
    notes.push(`${engine}: vitest exited with code ${exitCode} although no test failed (unhandled error?); counted as 1 failed`);
    failures.push(`${engine}: the run (exit code ${exitCode})`);
  }
  if (exitCode === 0 && failed > 0) notes.push(`${engine}: vitest exited 0 but the report has failures`);
  return { engine, passed, failed, skipped, notes, failures };
}

/** @param {{ passed: number, failed: number, skipped: number }} c */
export function formatCounts(c) {
  return `${c.passed} passed, ${c.failed} failed${c.skipped > 0 ? `, ${c.skipped} skipped` : ''}`;
}

function main(argv) {
  if (argv.length === 0) {
    console.error('usage: ci-summary.mjs engine=report.json:exitCode [...]');
    return 2;
  }
  const runs = argv.map(parseArg).map(summarizeRun);
  const failures = runs.flatMap((r) => r.failures);
  if (failures.length > 0) {
    console.log(`Failed (${failures.length}):`);
    for (const f of failures.slice(0, MAX_LISTED)) console.log(`  ✗ ${f}`);
    if (failures.length > MAX_LISTED) console.log(`  … and ${failures.length - MAX_LISTED} more`);
  }
  const total = runs.reduce((t, r) => ({ passed: t.passed + r.passed, failed: t.failed + r.failed, skipped: t.skipped + r.skipped }), {
    passed: 0,
    failed: 0,
    skipped: 0,
  });
  const ran = total.passed + total.failed;
  for (const r of runs) for (const n of r.notes) console.log(`note: ${n}`);
  if (ran === 0) console.log('note: no test ran at all');
  for (const r of runs) console.log(`${r.engine}: ${formatCounts(r)}`);
  // The total is the very last line of output: CI tooling reads it.
  console.log(formatCounts(total));
  return total.failed > 0 || ran === 0 ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('ci-summary.mjs')) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    console.error(String(err?.message ?? err));
    process.exitCode = 2;
  }
}
