import { CM, FormDocument, formatAdminDateTime, formatPlaceDate } from '../../platform/pdf/index.ts';

export interface ResultDocumentInput {
  number: string;
  documentType: string;
  agency: { name: string; parentName?: string; place: string };
  holderName: string;
  dossierCode: string;
  procedureName: string;
  summary: string;
  issuedAt: Date;
  signerName: string;
  /** The verification link with the signed statement, drawn as the QR code. */
  verifyUrl: string;
  verifyPage: string;
  timeZone: string;
}

/**
 * The result document (a certificate, a licence, a decision) as issued electronically: the
 * agency's national header with the number, the document type, the holder, the decision, and
 * a QR code that opens the public verification page with the document's signed statement.
 * The agency's digital signature is added afterwards (PAdES), so nothing here is signed by hand.
 */
export function renderResultDocument(r: ResultDocumentInput): Promise<Buffer> {
  const doc = new FormDocument({
    title: `${r.documentType} – ${r.number}`,
    info: { author: r.agency.name, subject: r.procedureName, keywords: `${r.number} ${r.dossierCode}` },
    creationDate: r.issuedAt,
  });
  doc.nationalHeader({
    governingBody: r.agency.parentName,
    agency: r.agency.name,
    left: [`Số: ${r.number}`],
    placeDate: formatPlaceDate(r.agency.place, r.issuedAt, r.timeZone),
  });
  doc.title(r.documentType);
  doc.field('Cấp cho', r.holderName, { boldValue: true });
  doc.field('Thủ tục', r.procedureName);
  doc.field('Mã hồ sơ', r.dossierCode);
  doc.field('Nội dung', r.summary);
  doc.field('Thời điểm ký', formatAdminDateTime(r.issuedAt, r.timeZone));
  doc.qrCode(r.verifyUrl, { size: 4.5 * CM, align: 'left', caption: 'Quét mã QR để kiểm tra tính xác thực của văn bản' });
  doc.paragraph(`Văn bản điện tử được ký số bởi ${r.agency.name}. Kiểm tra tính xác thực và tình trạng thu hồi: quét mã QR hoặc tải tệp này lên ${r.verifyPage}.`, {
    italic: true,
    size: 10.5,
    align: 'left',
  });
  doc.signatures([{ caption: ['TM. CƠ QUAN CẤP'], title: 'NGƯỜI KÝ', note: '(Đã ký số)', name: r.signerName }], { signatureSpace: 1 * CM });
  return doc.render();
}
