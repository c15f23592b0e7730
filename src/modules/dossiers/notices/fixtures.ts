import type { NoticeAgency, NoticeDossier } from './types.ts';

/**
 * Test data for the notices: a birth registration received in Hà Nội on 27/11/2026 at 08:30
 * (01:30 UTC), due on 04/12/2026 at 16:00 (09:00 UTC). Used by the tests beside this file.
 */
export const agency: NoticeAgency = {
  name: 'Ủy ban nhân dân phường Hoàn Kiếm',
  parentName: 'UBND thành phố Hà Nội',
  code: '000.01.01.H26',
  place: 'Hà Nội',
};

export function dossier(overrides: Partial<NoticeDossier> = {}): NoticeDossier {
  return {
    code: '000.01.01.H26-261127-0001',
    trackingUrl: 'https://dichvucong.hanoi.gov.vn/tra-cuu-ho-so?ma=000.01.01.H26-261127-0001',
    procedureName: 'Đăng ký khai sinh',
    applicant: {
      name: 'Nguyễn Thị Hoàng Yến',
      address: 'Số 12 phố Hàng Bạc, phường Hoàn Kiếm, thành phố Hà Nội',
      phone: '0912 345 678',
      email: 'yen.nth@example.vn',
      personalId: '001190012345',
    },
    owner: { name: 'Lê Minh Khôi', address: 'Số 12 phố Hàng Bạc, phường Hoàn Kiếm, thành phố Hà Nội' },
    receivedAt: new Date('2026-11-27T01:30:00Z'),
    dueAt: new Date('2026-12-04T09:00:00Z'),
    processingDays: 5,
    documents: [
      { name: 'Tờ khai đăng ký khai sinh theo mẫu', kind: 'original', count: 1 },
      { name: 'Giấy chứng sinh', kind: 'original', count: 1 },
      { name: 'Giấy chứng nhận kết hôn của cha, mẹ', kind: 'certified-copy', count: 1 },
      { name: 'Căn cước của người đi đăng ký', kind: 'copy', count: 1 },
      { name: 'Văn bản ủy quyền (nếu có)', kind: 'electronic', count: 1 },
    ],
    resultDelivery: 'Tại Bộ phận Một cửa',
    feeMethod: 'Miễn lệ phí',
    ...overrides,
  };
}
