import { z } from 'zod';

/**
 * The catalog exchange format (`egov catalog import FILE`, the admin import page and the demo
 * data under data/catalog). Strict: an unknown field is an error, so typos are not lost silently.
 */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'catalog.date');
const text = (max: number) => z.string().trim().min(1).max(max);

export const onlineLevels = ['INFO', 'PARTIAL', 'FULL'] as const;
export const agencyLevels = ['city', 'district', 'commune'] as const;
export const documentKinds = ['original', 'certified-copy', 'copy', 'electronic'] as const;
export const agencyCodePattern = /^\d{3}\.\d{2}\.\d{2}\.(?:[GH]\d{2}|HNN)$/;

export const feeSchema = z.strictObject({
  name: text(300),
  amount: z.number().int().min(0).max(1_000_000_000),
  note: z.string().trim().max(1000).optional(),
});

export const requiredDocumentSchema = z.strictObject({
  name: text(500),
  kind: z.enum(documentKinds),
  count: z.number().int().min(1).max(100),
  form: z.strictObject({ code: z.string().trim().max(100).optional(), name: text(300) }).optional(),
  note: z.string().trim().max(1000).optional(),
  /** Whether a Word document (DOCX) is accepted for this paper besides PDF, JPEG and PNG. */
  acceptsDocx: z.boolean().optional(),
});

export const legalBasisSchema = z.strictObject({
  number: text(100),
  title: text(500),
  issuedOn: isoDate.optional(),
  effectiveFrom: isoDate.optional(),
  effectiveTo: isoDate.optional(),
});

export const implementerSchema = z.union([
  z.strictObject({ level: z.enum(agencyLevels) }),
  z.strictObject({ agency: z.string().regex(agencyCodePattern, 'catalog.agencyCode') }),
]);

/** One question of a procedure's application form; the form is data, like the rest of the procedure. */
export const formFieldTypes = ['text', 'textarea', 'number', 'date', 'choice', 'address', 'personalId', 'phone', 'email'] as const;
export const formFieldSchema = z
  .strictObject({
    name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,39}$/, 'catalog.fieldName'),
    label: text(300),
    labelEn: z.string().trim().max(300).optional(),
    hint: z.string().trim().max(500).optional(),
    type: z.enum(formFieldTypes),
    required: z.boolean().default(true),
    options: z.array(z.strictObject({ value: z.string().trim().min(1).max(60), label: text(200), labelEn: z.string().trim().max(200).optional() })).max(50).optional(),
  })
  .refine((f) => f.type !== 'choice' || (f.options?.length ?? 0) >= 2, { message: 'catalog.choiceOptions', path: ['options'] });
export type FormField = z.output<typeof formFieldSchema>;

/**
 * The working days each stage after receipt may take. They add up to the procedure's time;
 * the control sheet (form 06) judges each hand-over against its own stage's deadline.
 */
export const workflowStages = ['processing', 'approval', 'result'] as const;
export const workflowSchema = z.strictObject({
  steps: z.array(z.strictObject({ stage: z.enum(workflowStages), budgetDays: z.number().int().min(0).max(365) })).min(1).max(10),
});
export type Workflow = z.output<typeof workflowSchema>;

/** Without a workflow of its own: one day for the leader's approval when there is time, the rest for appraisal. */
export function defaultWorkflow(processingDays: number): Workflow {
  const approval = processingDays >= 3 ? 1 : 0;
  return { steps: [{ stage: 'processing', budgetDays: processingDays - approval }, { stage: 'approval', budgetDays: approval }, { stage: 'result', budgetDays: 0 }] };
}

/** A procedure without its own form asks only what the citizen requests. */
export const defaultForm: FormField[] = [
  { name: 'requestContent', label: 'Nội dung yêu cầu giải quyết', labelEn: 'What you ask for', type: 'textarea', required: true },
];

/** The level 1–4 scale of Decree 43/2011 maps onto the online level of Decree 42/2022. */
export function legacyToOnline(level: number): (typeof onlineLevels)[number] {
  return level >= 4 ? 'FULL' : level === 3 ? 'PARTIAL' : 'INFO';
}

export const procedureSchema = z
  .strictObject({
    code: z.string().regex(/^\d\.\d{6}(\.[\d.A-Z]+)?$/, 'catalog.procedureCode'),
    name: text(500),
    nameEn: z.string().trim().max(500).optional(),
    domain: z.string().regex(/^[a-z0-9-]{2,60}$/, 'catalog.domainCode'),
    implementers: z.array(implementerSchema).min(1),
    onlineLevel: z.enum(onlineLevels),
    legacyLevel: z.number().int().min(1).max(4).optional(),
    processingDays: z.number().int().min(0).max(365),
    processingNote: z.string().trim().max(1000).optional(),
    cutoffHour: z.number().int().min(0).max(23).optional(),
    applicants: z.array(z.enum(['citizen', 'business'])).min(1).default(['citizen']),
    fees: z.array(feeSchema).default([]),
    /**
     * When a citizen applying online pays the fees through the payment gateway: with the
     * application, or once the result is ready and before it is handed over. Absent: the fees
     * are collected at the counter, as before online payment existed.
     */
    paymentStage: z.enum(['submission', 'result']).optional(),
    requiredDocuments: z.array(requiredDocumentSchema).default([]),
    steps: z.array(text(2000)).default([]),
    result: text(1000),
    legalBasis: z.array(legalBasisSchema).min(1),
    keywords: z.array(text(100)).default([]),
    workflow: workflowSchema.optional(),
    form: z
      .array(formFieldSchema)
      .max(40)
      .refine((fields) => new Set(fields.map((f) => f.name)).size === fields.length, 'catalog.fieldNamesUnique')
      .optional(),
    effectiveFrom: isoDate,
    effectiveTo: isoDate.optional(),
  })
  .refine((p) => p.legacyLevel === undefined || legacyToOnline(p.legacyLevel) === p.onlineLevel, {
    message: 'catalog.legacyMismatch',
    path: ['legacyLevel'],
  })
  .refine((p) => !p.effectiveTo || p.effectiveTo >= p.effectiveFrom, {
    message: 'catalog.effectiveRange',
    path: ['effectiveTo'],
  })
  .refine((p) => !p.workflow || p.workflow.steps.reduce((n, s) => n + s.budgetDays, 0) === p.processingDays, {
    message: 'catalog.workflowBudget',
    path: ['workflow'],
  });

/** What an online applicant pays through the gateway, and when; null when nothing is paid online. */
export function onlineFee(p: Pick<ProcedureBody, 'fees' | 'paymentStage'>): { stage: 'submission' | 'result'; amount: number; lines: { name: string; amount: number }[] } | null {
  const lines = p.fees.filter((f) => f.amount > 0).map((f) => ({ name: f.name, amount: f.amount }));
  const amount = lines.reduce((sum, f) => sum + f.amount, 0);
  return p.paymentStage && amount > 0 ? { stage: p.paymentStage, amount, lines } : null;
}

export type ProcedureInput = z.input<typeof procedureSchema>;
export type ProcedureBody = z.output<typeof procedureSchema>;

export const domainSchema = z.strictObject({
  code: z.string().regex(/^[a-z0-9-]{2,60}$/, 'catalog.domainCode'),
  name: text(200),
  nameEn: text(200),
  description: z.string().trim().max(2000).default(''),
});

export const catalogFileSchema = z.strictObject({
  formatVersion: z.literal(1),
  domains: z.array(domainSchema).default([]),
  procedures: z.array(procedureSchema).default([]),
});
export type CatalogFile = z.output<typeof catalogFileSchema>;

export const agencySchema = z.strictObject({
  code: z.string().regex(agencyCodePattern, 'catalog.agencyCode'),
  name: text(300),
  nameEn: text(300),
  level: z.enum(agencyLevels),
  kind: z.enum(['people-committee', 'department', 'public-service-center', 'police', 'tax', 'social-insurance', 'other']),
  parentCode: z.string().regex(agencyCodePattern, 'catalog.agencyCode').nullable(),
  adminUnitCode: z.string().regex(/^\d{2,5}$/).optional(),
  address: z.string().trim().max(300).optional(),
  phone: z.string().trim().max(50).optional(),
});

export const agencyStructureFileSchema = z.strictObject({
  structure: z.strictObject({
    code: z.string().regex(/^[a-z0-9-]{2,60}$/),
    name: text(300),
    nameEn: text(300),
    effectiveFrom: isoDate,
    effectiveTo: isoDate.nullable(),
  }),
  agencies: z.array(agencySchema).min(1),
});
export type AgencyStructureFile = z.output<typeof agencyStructureFileSchema>;
