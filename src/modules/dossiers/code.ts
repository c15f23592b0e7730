/**
 * The dossier code (mã hồ sơ): `{agency}-{yyMMdd}-{NNNN}` by default, e.g.
 * 000.00.06.H56-231027-0361 (domain.md §2.5). The format is configuration, because the
 * national sync API uses another one; tokens: {agency} {yyMMdd} {yyyyMMdd} {seqN} (N digits).
 */
export const DEFAULT_CODE_FORMAT = '{agency}-{yyMMdd}-{seq4}';

export function formatDossierCode(format: string | undefined, parts: { agency: string; day: string; seq: number }): string {
  return (format ?? DEFAULT_CODE_FORMAT)
    .replaceAll('{agency}', parts.agency)
    .replaceAll('{yyMMdd}', parts.day)
    .replaceAll('{yyyyMMdd}', `20${parts.day}`)
    .replace(/\{seq(\d)\}/g, (_m, width: string) => String(parts.seq).padStart(Number(width), '0'));
}

export function isValidCodeFormat(format: string): boolean {
  return format.includes('{agency}') && /\{(yyMMdd|yyyyMMdd)\}/.test(format) && /\{seq\d\}/.test(format);
}
