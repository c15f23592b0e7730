/**
 * Paths pino replaces with "[redacted]": credentials and personal data must never reach logs.
 * Request bodies are not logged at all; these cover objects that code logs on purpose.
 */
export const redactPaths = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passwordHash',
  '*.password_hash',
  '*.personalId',
  '*.personal_id',
  '*.phone',
  '*.email',
  '*.fullName',
  '*.full_name',
  '*.token',
  '*.secret',
];
