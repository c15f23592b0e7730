import { defineMessages } from '../../platform/i18n/index.ts';

export const registryMessages = defineMessages({
  'registry.unavailable': {
    vi: 'Hiện không kết nối được Cơ sở dữ liệu quốc gia về dân cư. Vui lòng tự nhập thông tin; hồ sơ vẫn nộp được bình thường.',
    en: 'The national population database cannot be reached right now. Please enter your details yourself; you can still apply as usual.',
  },
  'registry.lookupUnavailable': {
    vi: 'Hiện không kết nối được Cơ sở dữ liệu quốc gia về dân cư. Vui lòng thử lại sau; không có dữ liệu nào được hiển thị.',
    en: 'The national population database cannot be reached right now. Please try again later; no data is shown.',
  },
  'registry.notFound': { vi: 'Cơ sở dữ liệu dân cư không có người mang số định danh này.', en: 'The population database has no one with this personal ID.' },
  'registry.prefillNotFound': {
    vi: 'Cơ sở dữ liệu dân cư chưa có thông tin của bạn. Vui lòng tự nhập thông tin.',
    en: 'The population database has no record of you. Please enter your details yourself.',
  },
  'registry.identityNotVerified': {
    vi: 'Chỉ dùng được dữ liệu dân cư khi số định danh của tài khoản đã được xác thực (đăng nhập VNeID hoặc kiểm tra tại bộ phận một cửa).',
    en: 'Population data can be used only once your account’s personal ID is verified (VNeID sign-in or a check at a counter).',
  },
  'registry.consentRequired': { vi: 'Vui lòng đánh dấu đồng ý chia sẻ thông tin để tiếp tục.', en: 'Please tick the box to agree to share the information.' },
  'registry.claimChanged': {
    vi: 'Thông tin này đã được xác thực từ Cơ sở dữ liệu dân cư và không được sửa.',
    en: 'This information is verified from the population database and cannot be changed.',
  },
  'registry.purposeRequired': { vi: 'Vui lòng nêu mục đích tra cứu (ít nhất 10 ký tự).', en: 'Please state why you look this person up (at least 10 characters).' },
  'registry.notInDossier': {
    vi: 'Chỉ tra cứu được người có tên trong hồ sơ (người nộp hoặc người được khai trong tờ khai).',
    en: 'Only people named in the dossier (the applicant or people declared in its form) can be looked up.',
  },
  'registry.notHolder': { vi: 'Chỉ cơ quan đang giữ hồ sơ được tra cứu dân cư cho hồ sơ này.', en: 'Only the agency holding the dossier may look up people for it.' },

  // Pages
  'registry.consent.title': { vi: 'Dùng thông tin đã xác thực', en: 'Use verified information' },
  'registry.consent.lead': {
    vi: 'Thay vì tự nhập, bạn có thể cho phép lấy thông tin của mình từ Cơ sở dữ liệu quốc gia về dân cư. Thông tin lấy về được đánh dấu “Đã xác thực” và không sửa được.',
    en: 'Instead of typing them, you can let us fetch your details from the national population database. They are marked “Verified” and cannot be changed.',
  },
  'registry.consent.purpose': { vi: 'Mục đích: giải quyết thủ tục “{name}”.', en: 'Purpose: handling the procedure “{name}”.' },
  'registry.consent.fields': { vi: 'Thông tin được chia sẻ', en: 'Information shared' },
  'registry.consent.agree': {
    vi: 'Tôi đồng ý chia sẻ các thông tin trên cho mục đích giải quyết thủ tục này.',
    en: 'I agree to share the information above for handling this procedure.',
  },
  'registry.consent.submit': { vi: 'Lấy thông tin đã xác thực', en: 'Fetch verified information' },
  'registry.consent.manual': { vi: 'Hoặc tự nhập thông tin vào biểu mẫu dưới đây.', en: 'Or type your details in the form below.' },
  'registry.consent.needsVerifiedId': {
    vi: 'Khi số định danh của tài khoản được xác thực (đăng nhập VNeID), bạn có thể dùng thông tin từ Cơ sở dữ liệu dân cư thay vì tự nhập.',
    en: 'Once your account’s personal ID is verified (VNeID sign-in), you can use your details from the population database instead of typing them.',
  },
  'registry.verified': { vi: 'Đã xác thực', en: 'Verified' },
  'registry.verifiedFrom': { vi: 'Đã xác thực từ Cơ sở dữ liệu quốc gia về dân cư', en: 'Verified from the national population database' },
  'registry.field.fullName': { vi: 'Họ và tên', en: 'Full name' },
  'registry.field.birthDate': { vi: 'Ngày sinh', en: 'Date of birth' },
  'registry.field.gender': { vi: 'Giới tính', en: 'Gender' },
  'registry.field.permanentAddress': { vi: 'Nơi thường trú', en: 'Permanent residence' },
  'registry.field.currentAddress': { vi: 'Nơi ở hiện tại', en: 'Current residence' },
  'registry.field.household': { vi: 'Thành viên hộ gia đình', en: 'Household members' },
  'registry.gender.male': { vi: 'Nam', en: 'Male' },
  'registry.gender.female': { vi: 'Nữ', en: 'Female' },
  'registry.relation.head': { vi: 'Chủ hộ', en: 'Head of household' },
  'registry.relation.spouse': { vi: 'Vợ/chồng', en: 'Spouse' },
  'registry.relation.child': { vi: 'Con', en: 'Child' },
  'registry.relation.parent': { vi: 'Cha/mẹ', en: 'Parent' },
  'registry.relation.other': { vi: 'Khác', en: 'Other' },
  'registry.lookup.title': { vi: 'Tra cứu dân cư', en: 'Population lookup' },
  'registry.lookup.lead': {
    vi: 'Tra cứu Cơ sở dữ liệu quốc gia về dân cư cho người có tên trong hồ sơ. Mỗi lần tra cứu được ghi lại và người dân xem được.',
    en: 'Look up a person named in the dossier in the national population database. Every lookup is recorded and the person can see it.',
  },
  'registry.lookup.person': { vi: 'Số định danh của người cần tra cứu', en: 'Personal ID of the person' },
  'registry.lookup.purpose': { vi: 'Mục đích tra cứu', en: 'Purpose of the lookup' },
  'registry.lookup.purposeHint': { vi: 'Ví dụ: đối chiếu nơi thường trú của người nộp hồ sơ.', en: 'For example: checking the applicant’s permanent residence.' },
  'registry.lookup.submit': { vi: 'Tra cứu', en: 'Look up' },
  'registry.lookup.result': { vi: 'Kết quả tra cứu', en: 'Lookup result' },
  'registry.lookup.back': { vi: 'Quay lại hồ sơ {code}', en: 'Back to dossier {code}' },
  'registry.log.title': { vi: 'Ai đã xem dữ liệu của tôi', en: 'Who looked at my data' },
  'registry.log.lead': {
    vi: 'Mỗi lần thông tin của bạn được lấy từ Cơ sở dữ liệu dân cư (khi bạn đồng ý điền sẵn hồ sơ, hoặc khi cán bộ tra cứu cho một hồ sơ) đều được ghi lại ở đây.',
    en: 'Every time your details were read from the population database (when you agreed to prefill an application, or when an officer looked you up for a dossier) is listed here.',
  },
  'registry.log.empty': { vi: 'Chưa có lần tra cứu nào.', en: 'No lookups yet.' },
  'registry.log.notVerified': {
    vi: 'Số định danh của tài khoản chưa được xác thực, nên chưa thể hiện nhật ký tra cứu. Vui lòng đăng nhập bằng VNeID hoặc xác thực tại bộ phận một cửa.',
    en: 'Your account’s personal ID is not verified yet, so the lookup log cannot be shown. Please sign in with VNeID or have it checked at a counter.',
  },
  'registry.log.when': { vi: 'Thời gian', en: 'When' },
  'registry.log.who': { vi: 'Ai', en: 'Who' },
  'registry.log.why': { vi: 'Mục đích', en: 'Purpose' },
  'registry.log.for': { vi: 'Hồ sơ / thủ tục', en: 'Dossier / procedure' },
  'registry.log.you': { vi: 'Bạn (đồng ý điền sẵn)', en: 'You (agreed to prefill)' },
  'registry.log.link': { vi: 'Ai đã xem dữ liệu của tôi', en: 'Who looked at my data' },
});
