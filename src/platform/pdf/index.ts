/**
 * PDF documents in Vietnamese: a builder for administrative forms (FormDocument), the fonts
 * that can show Vietnamese, QR and Code 128 images, and dates written the administrative way.
 */
export { type BarcodeOptions, code128Png, type QrOptions, type QrSymbol, qrSymbol } from './codes.ts';
export { type FontFamily, type FontStyle, fontPath, loadFontFamily } from './fonts.ts';
export {
  ADMIN_MARGINS,
  CM,
  type CodesSpec,
  FormDocument,
  type FormDocumentOptions,
  type Margins,
  type NationalHeaderSpec,
  nfc,
  type ParagraphOptions,
  type RichText,
  type Run,
  type SignatureBlock,
  type SignatureOptions,
  upper,
} from './form-document.ts';
export type { Align, CellLine, TableCell, TableCellInput, TableColumn, TableSpec, VAlign } from './table.ts';
export {
  type CivilDateTime,
  civilDateTime,
  DEFAULT_TIME_ZONE,
  formatAdminDate,
  formatAdminDateTime,
  formatAdminTime,
  formatPlaceDate,
} from './vn-date.ts';
