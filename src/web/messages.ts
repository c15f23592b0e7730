import { defineMessages } from '../platform/i18n/index.ts';

export const webMessages = defineMessages({
  'web.siteName': { vi: 'Cổng Dịch vụ công Hà Nội', en: 'Hanoi Public Service Portal' },
  'web.siteTagline': { vi: 'Thủ tục hành chính, nộp hồ sơ và tra cứu trực tuyến', en: 'Administrative procedures, online applications and tracking' },
  'web.skip': { vi: 'Bỏ qua, đến nội dung chính', en: 'Skip to main content' },
  'web.nav': { vi: 'Điều hướng chính', en: 'Main navigation' },
  'web.nav.home': { vi: 'Trang chủ', en: 'Home' },
  'web.nav.procedures': { vi: 'Thủ tục hành chính', en: 'Procedures' },
  'web.nav.login': { vi: 'Đăng nhập', en: 'Sign in' },
  'web.nav.register': { vi: 'Đăng ký', en: 'Register' },
  'web.nav.account': { vi: 'Tài khoản', en: 'Account' },
  'web.nav.backoffice': { vi: 'Một cửa điện tử', en: 'Back office' },
  'web.nav.logout': { vi: 'Đăng xuất', en: 'Sign out' },
  'web.lang.switch': { vi: 'English', en: 'Tiếng Việt' },
  'web.lang.label': { vi: 'Chuyển sang tiếng Anh', en: 'Switch to Vietnamese' },
  'web.footer': { vi: 'Phần mềm nguồn mở egov. Thời gian hiển thị theo giờ Việt Nam (GMT+7).', en: 'egov open-source software. Times are shown in Vietnam time (GMT+7).' },
  'web.api': { vi: 'API cho nhà phát triển', en: 'API for developers' },
  'web.error.title': { vi: 'Có lỗi xảy ra', en: 'Something went wrong' },
  'web.error.back': { vi: 'Về trang chủ', en: 'Back to the home page' },
  'web.errorSummary': { vi: 'Có vấn đề cần sửa', en: 'There is a problem' },
  'web.breadcrumb': { vi: 'Bạn đang ở', en: 'You are here' },
});
