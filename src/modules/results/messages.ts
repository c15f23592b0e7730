import { defineMessages } from '../../platform/i18n/index.ts';

export const resultMessages = defineMessages({
  'results.notFound': { vi: 'Không tìm thấy kết quả.', en: 'The result was not found.' },
  'results.alreadyRevoked': { vi: 'Kết quả này đã bị thu hồi trước đó.', en: 'This result has already been revoked.' },
  'results.verify.title': { vi: 'Kiểm tra văn bản kết quả', en: 'Check a result document' },
  'results.verify.lead': {
    vi: 'Kiểm tra một giấy tờ, giấy phép hay quyết định do cơ quan nhà nước cấp điện tử: tải tệp PDF lên, hoặc quét mã QR in trên văn bản. Không cần đăng nhập.',
    en: 'Check a certificate, licence or decision issued electronically by a public agency: upload the PDF file, or scan the QR code printed on it. No sign-in needed.',
  },
  'results.verify.file': { vi: 'Tệp kết quả (PDF)', en: 'Result file (PDF)' },
  'results.verify.fileHint': { vi: 'Tệp PDF đã ký số mà bạn nhận được, chưa chỉnh sửa.', en: 'The digitally signed PDF file as you received it, unchanged.' },
  'results.verify.button': { vi: 'Kiểm tra', en: 'Check' },
  'results.verify.empty': { vi: 'Tệp «{fileName}» không có nội dung. Vui lòng chọn tệp PDF kết quả.', en: 'The file “{fileName}” is empty. Please choose the result PDF file.' },
  'results.verify.notPdf': {
    vi: 'Tệp «{fileName}» không phải là tệp PDF. Vui lòng tải lên đúng tệp PDF kết quả đã nhận.',
    en: 'The file “{fileName}” is not a PDF file. Please upload the result PDF file you received.',
  },
  'results.verify.damaged': {
    vi: 'Tệp PDF «{fileName}» bị hỏng hoặc chưa được tải lên hết. Vui lòng tải lên lại.',
    en: 'The PDF file “{fileName}” is damaged or was not uploaded completely. Please upload it again.',
  },
  'results.verify.required': { vi: 'Vui lòng chọn tệp PDF cần kiểm tra.', en: 'Please choose the PDF file to check.' },
  'results.verify.authentic': { vi: 'Văn bản xác thực', en: 'Authentic document' },
  'results.verify.authenticLead': {
    vi: 'Văn bản do cơ quan dưới đây cấp và ký số; nội dung không bị thay đổi.',
    en: 'The document was issued and digitally signed by the agency below and has not been changed.',
  },
  'results.verify.revoked': { vi: 'Văn bản đã bị thu hồi', en: 'The document has been revoked' },
  'results.verify.revokedLead': {
    vi: 'Văn bản này do cơ quan dưới đây cấp nhưng đã bị thu hồi, không còn giá trị.',
    en: 'This document was issued by the agency below but has been revoked and is no longer valid.',
  },
  'results.verify.invalid': { vi: 'Không xác thực được văn bản', en: 'The document could not be verified' },
  'results.verify.invalidLead': {
    vi: 'Tệp này không phải là văn bản do cơ quan nhà nước cấp qua hệ thống, hoặc đã bị chỉnh sửa sau khi ký. Không sử dụng văn bản này.',
    en: 'This file is not a document issued through the system by a public agency, or it was changed after signing. Do not rely on it.',
  },
  'results.field.number': { vi: 'Số văn bản', en: 'Number' },
  'results.field.type': { vi: 'Loại văn bản', en: 'Document type' },
  'results.field.issuer': { vi: 'Cơ quan cấp', en: 'Issued by' },
  'results.field.issuedAt': { vi: 'Ngày cấp', en: 'Issued on' },
  'results.field.status': { vi: 'Tình trạng', en: 'Status' },
  'results.field.revokedAt': { vi: 'Ngày thu hồi', en: 'Revoked on' },
  'results.status.valid': { vi: 'Còn hiệu lực', en: 'Valid' },
  'results.status.revoked': { vi: 'Đã thu hồi', en: 'Revoked' },
  'results.panel.title': { vi: 'Kết quả điện tử (đã ký số)', en: 'Electronic result (digitally signed)' },
  'results.panel.download': { vi: 'Tải kết quả (PDF đã ký số)', en: 'Download the result (signed PDF)' },
  'results.panel.verify': { vi: 'Kiểm tra văn bản', en: 'Check the document' },
  'results.revoke.title': { vi: 'Thu hồi kết quả', en: 'Revoke the result' },
  'results.revoke.reason': { vi: 'Lý do thu hồi', en: 'Reason for revocation' },
  'results.revoke.button': { vi: 'Thu hồi kết quả', en: 'Revoke the result' },
  'results.revoke.done': { vi: 'Đã thu hồi kết quả.', en: 'The result has been revoked.' },
});
