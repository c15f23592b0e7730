import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import type { Locator, Page, Response } from 'playwright-core';
import { follow, mainOf } from '../e2e/browser.ts';

/**
 * Checking a signed result as outsiders do: poppler's pdfsig on the file, and the public
 * verification page (/verify) in a browser. Shared by the browser tests of signed results.
 */
const run = promisify(execFile);

/** pdfsig's report on a file; it exits non-zero for a bad signature, whose report we still want. */
export async function pdfsig(file: string): Promise<string> {
  return run('pdfsig', [file]).then(
    (r) => r.stdout,
    (err: { stdout?: string }) => err.stdout ?? '',
  );
}

/** Writes to `copy` the file `original` with one byte changed (inside the signed range). */
export function writeTamperedCopy(original: string, copy: string): void {
  const bytes = readFileSync(original);
  const at = Math.floor(bytes.length / 3);
  bytes[at] = (bytes[at] ?? 0) ^ 0x20;
  writeFileSync(copy, bytes);
}

/** Uploads a file on the public verification page and returns the response. */
export async function uploadForVerification(page: Page, baseUrl: string, file: string): Promise<Response | null> {
  await page.goto(`${baseUrl}/verify`);
  await page.getByLabel('Tệp kết quả (PDF)').setInputFiles(file);
  return follow(page, mainOf(page).getByRole('button', { name: 'Kiểm tra' }));
}

/** The verification page's verdict heading. */
export const verdict = (page: Page) => page.locator('main section.verdict h2').innerText();

/** One fact under the verdict (type, number, issuer, date, status), by its label. */
export const verdictFact = (page: Page, label: string) =>
  page.locator('main section.verdict dl.facts > div', { has: page.getByText(label, { exact: true }) }).locator('dd').innerText();

/**
 * Clicks a "download the signed result" link, saves the file to `file` and checks with pdfsig
 * that it carries a valid PAdES signature. Returns the file's path.
 */
export async function downloadSignedResult(page: Page, link: Locator, file: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  await download.saveAs(file);
  expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
  const report = await pdfsig(file);
  expect(report).toContain('Signature Type: ETSI.CAdES.detached');
  expect(report).toContain('Signature Validation: Signature is Valid.');
  return file;
}
