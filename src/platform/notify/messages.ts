import { defineMessages } from '../i18n/index.ts';

export const notifyMessages = defineMessages({
  'notify.dev.title': { vi: 'Tin nhắn đã gửi', en: 'Sent messages' },
  'notify.dev.lead': {
    vi: 'Trang dành cho phát triển và kiểm thử: thư điện tử và tin nhắn SMS hệ thống đã gửi, mới nhất trước. Khi chưa cấu hình máy chủ thư hoặc cổng SMS, tin nhắn chỉ được ghi lại ở đây.',
    en: 'For development and testing: the e-mails and text messages the system sent, newest first. Without a mail server or SMS gateway configured, messages are only recorded here.',
  },
  'notify.dev.transports': { vi: 'Thư điện tử: {mail}. SMS: {sms}.', en: 'E-mail: {mail}. SMS: {sms}.' },
  'notify.dev.transport.smtp': { vi: 'gửi qua máy chủ SMTP', en: 'sent through SMTP' },
  'notify.dev.transport.log': { vi: 'chỉ ghi lại, không gửi thật', en: 'recorded only, not sent' },
  'notify.dev.empty': { vi: 'Chưa có tin nhắn nào.', en: 'No messages yet.' },
  'notify.dev.when': { vi: 'Thời gian', en: 'When' },
  'notify.dev.channel': { vi: 'Kênh', en: 'Channel' },
  'notify.dev.to': { vi: 'Người nhận', en: 'Recipient' },
  'notify.dev.content': { vi: 'Nội dung', en: 'Content' },
  'notify.dev.ref': { vi: 'Tham chiếu', en: 'Reference' },
  'notify.dev.channel.email': { vi: 'Thư điện tử', en: 'E-mail' },
  'notify.dev.channel.sms': { vi: 'SMS', en: 'SMS' },
  'notify.dev.outbox': { vi: 'Hàng đợi #{id}', en: 'Outbox #{id}' },
  'notify.dev.older': { vi: 'Tin cũ hơn ›', en: 'Older ›' },
  'notify.dev.pager': { vi: 'Phân trang', en: 'Pagination' },
});
