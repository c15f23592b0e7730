/**
 * The dossier code (mã hồ sơ): `{agency}-{yyMMdd}-{NNNN}` by default, e.g.
 * 000.00.06.H56-231027-0361 (domain.md §2.5). The format is configuration, because the
 * national sync API uses another one; tokens: {agency} {yyMMdd} {yyyyMMdd} {seqN} (N digits).
 */
export const DEFAULT_CODE_FORMAT = '{agency}-{yyMMdd}-{seq4}';

export function formatDossierCode(format: string | undefined, parts: { agency: string; day: string; seq: number }): string {
  return fillSequence(codeTemplate(format, parts), parts.seq);
}

/** The code with its agency and day filled in and its `{seqN}` tokens left for the number. */
export function codeTemplate(format: string | undefined, parts: { agency: string; day: string }): string {
  return (format ?? DEFAULT_CODE_FORMAT)
    .replaceAll('{agency}', parts.agency)
    .replaceAll('{yyMMdd}', parts.day)
    .replaceAll('{yyyyMMdd}', `20${parts.day}`);
}

/** Where the number goes in a template: each `{seqN}` is the number zero-padded to N digits (never cut). */
export const SEQUENCE_TOKEN = /\{seq(\d)\}/g;

export function fillSequence(template: string, seq: number): string {
  return template.replace(SEQUENCE_TOKEN, (_m, width: string) => String(seq).padStart(Number(width), '0'));
}

export function isValidCodeFormat(format: string): boolean {
  return format.includes('{agency}') && /\{(yyMMdd|yyyyMMdd)\}/.test(format) && /\{seq\d\}/.test(format);
}
