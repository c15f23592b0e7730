import type { z } from 'zod';
import { defineMessages, type Locale, type MessageParams, t } from '../i18n/index.ts';

/** A problem with one input field, named by its dotted path (`applicant.personalId`). */
export interface FieldIssue {
  field: string;
  key: string;
  params?: MessageParams;
}

/**
 * An error a client can act on. `key` is a message key (or a plain sentence), translated when
 * the response is written, so services never pick a language.
 */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly key: string;
  readonly params: MessageParams | undefined;
  readonly fields: FieldIssue[];
  constructor(status: number, code: string, key: string, opts: { params?: MessageParams; fields?: FieldIssue[] } = {}) {
    super(code);
    this.status = status;
    this.code = code;
    this.key = key;
    this.params = opts.params;
    this.fields = opts.fields ?? [];
  }
}

export const httpMessages = defineMessages({
  'http.validation': { vi: 'Thông tin gửi lên chưa hợp lệ. Vui lòng kiểm tra các trường được nêu.', en: 'Some of the information sent is not valid. Please check the fields listed.' },
  'http.required': { vi: 'Vui lòng nhập thông tin này.', en: 'This field is required.' },
  'http.tooShort': { vi: 'Cần ít nhất {min} ký tự.', en: 'Must be at least {min} characters.' },
  'http.tooLong': { vi: 'Tối đa {max} ký tự.', en: 'Must be at most {max} characters.' },
  'http.tooSmall': { vi: 'Giá trị nhỏ nhất là {min}.', en: 'Must be at least {min}.' },
  'http.tooBig': { vi: 'Giá trị lớn nhất là {max}.', en: 'Must be at most {max}.' },
  'http.unknownField': { vi: 'Trường "{name}" không được chấp nhận.', en: 'Field "{name}" is not accepted.' },
  'http.oneOf': { vi: 'Giá trị phải là một trong: {values}.', en: 'Must be one of: {values}.' },
  'http.wrongType': { vi: 'Giá trị không đúng định dạng (cần {expected}).', en: 'Wrong type of value (expected {expected}).' },
  'http.badFormat': { vi: 'Giá trị không đúng định dạng.', en: 'The value is not in the expected format.' },
  'http.malformedJson': { vi: 'Nội dung JSON gửi lên bị lỗi cú pháp.', en: 'The JSON body is malformed.' },
  'http.bodyTooLarge': { vi: 'Dữ liệu gửi lên quá lớn (tối đa {limit} byte).', en: 'The request body is too large (at most {limit} bytes).' },
  'http.unsupportedMedia': { vi: 'Kiểu nội dung "{type}" không được hỗ trợ.', en: 'Content type "{type}" is not supported.' },
  'http.notFound': { vi: 'Không tìm thấy trang hoặc dữ liệu yêu cầu.', en: 'The page or resource was not found.' },
  'http.methodNotAllowed': { vi: 'Phương thức không được hỗ trợ.', en: 'Method not allowed.' },
  'http.rateLimited': { vi: 'Bạn thao tác quá nhanh. Vui lòng thử lại sau {seconds} giây.', en: 'Too many requests. Please try again in {seconds} seconds.' },
  'http.csrf': { vi: 'Phiên làm việc của biểu mẫu đã hết hạn. Vui lòng tải lại trang và gửi lại.', en: 'The form has expired. Please reload the page and submit again.' },
  'http.unauthenticated': { vi: 'Vui lòng đăng nhập để tiếp tục.', en: 'Please sign in to continue.' },
  'http.forbidden': { vi: 'Bạn không có quyền thực hiện thao tác này.', en: 'You are not allowed to do this.' },
  'http.internal': { vi: 'Hệ thống gặp sự cố. Vui lòng thử lại sau. Mã yêu cầu: {requestId}.', en: 'Something went wrong on our side. Please try again later. Request id: {requestId}.' },
});

export const notFound = (key = 'http.notFound', params?: MessageParams) => new AppError(404, 'NOT_FOUND', key, { params });
export const forbidden = () => new AppError(403, 'FORBIDDEN', 'http.forbidden');
export const unauthenticated = () => new AppError(401, 'UNAUTHENTICATED', 'http.unauthenticated');

/** zod issues become field issues with our own, citizen-readable message keys. */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[], prefix = ''): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of issues) {
    const base = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ field: base ? `${base}.${key}` : key, key: 'http.unknownField', params: { name: key } });
      continue;
    }
    out.push({ field: base || '(body)', ...describeIssue(issue) });
  }
  return out;
}

function describeIssue(issue: z.core.$ZodIssue): { key: string; params?: MessageParams } {
  // A schema that supplies its own message (an i18n key) wins over the generic text.
  if (issue.message && !/^(Invalid|Too |Expected|Unrecognized)/.test(issue.message)) return { key: issue.message };
  switch (issue.code) {
    case 'invalid_type':
      return /received undefined$/.test(issue.message)
        ? { key: 'http.required' }
        : { key: 'http.wrongType', params: { expected: issue.expected } };
    case 'too_small':
      return issue.origin === 'string'
        ? Number(issue.minimum) === 1
          ? { key: 'http.required' }
          : { key: 'http.tooShort', params: { min: Number(issue.minimum) } }
        : { key: 'http.tooSmall', params: { min: Number(issue.minimum) } };
    case 'too_big':
      return issue.origin === 'string'
        ? { key: 'http.tooLong', params: { max: Number(issue.maximum) } }
        : { key: 'http.tooBig', params: { max: Number(issue.maximum) } };
    case 'invalid_value':
      return { key: 'http.oneOf', params: { values: issue.values.map(String).join(', ') } };
    default:
      return { key: 'http.badFormat' };
  }
}

export function validationError(fields: FieldIssue[]): AppError {
  return new AppError(400, 'VALIDATION_FAILED', 'http.validation', { fields });
}

/** Parses input with a schema, or throws a 400 naming every bad field. */
export function validate<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(fromZodIssues(result.error.issues, prefix));
  return result.data;
}

export interface ErrorBody {
  error: { code: string; message: string; fields?: { field: string; message: string }[]; requestId?: string };
}

export function errorBody(err: AppError, locale: Locale): ErrorBody {
  const body: ErrorBody = { error: { code: err.code, message: t(locale, err.key, err.params) } };
  if (err.fields.length) body.error.fields = err.fields.map((f) => ({ field: f.field, message: t(locale, f.key, f.params) }));
  return body;
}
