import { DEFAULT_ALLOWED, MEDIA_TYPES, type MediaType } from '../../platform/files/index.ts';
import type { ProcedureDetail } from '../catalog/index.ts';

/**
 * One upload slot per required paper of the procedure ("thành phần hồ sơ"), named
 * `giay-to-1`, `giay-to-2`… in the order the procedure lists them.
 */
export interface PaperSlot {
  slot: string;
  label: string;
  allowed: readonly MediaType[];
}

export function paperSlots(p: ProcedureDetail): PaperSlot[] {
  return p.body.requiredDocuments.map((d, i) => ({ slot: `giay-to-${i + 1}`, label: d.name, allowed: d.acceptsDocx ? withDocx : DEFAULT_ALLOWED }));
}

const withDocx: readonly MediaType[] = [...DEFAULT_ALLOWED, MEDIA_TYPES.docx];

/** The result document an officer attaches when deciding: a PDF or a scan. */
export const RESULT_SLOT: PaperSlot = { slot: 'ket-qua', label: 'Kết quả giải quyết', allowed: DEFAULT_ALLOWED };

export const DRAFT_OWNER = 'dossier-draft';
export const DOSSIER_OWNER = 'dossier';
