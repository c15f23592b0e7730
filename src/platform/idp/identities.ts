import type { Gender } from '../auth/personal-id.ts';

/**
 * The people the development identity provider can sign in as. The first is the demo citizen
 * of the portal's demo data (README), so a VNeID sign-in reaches that account; the last has a
 * personal ID that contradicts its birth year, to show how the portal refuses such an answer.
 */
export interface DemoIdentity {
  sub: string;
  personalId: string;
  fullName: string;
  birthDate: string;
  gender: Gender;
  /** Shown beside the name on the provider's sign-in page. */
  note?: string;
}

export const demoIdentities: readonly DemoIdentity[] = [
  { sub: 'vneid-demo-001', personalId: '001090012345', fullName: 'Nguyễn Văn An', birthDate: '1990-05-15', gender: 'male', note: 'công dân mẫu của cổng' },
  { sub: 'vneid-demo-002', personalId: '001301004567', fullName: 'Trần Thị Bình', birthDate: '2001-03-08', gender: 'female' },
  { sub: 'vneid-demo-003', personalId: '079085001234', fullName: 'Lê Minh Cường', birthDate: '1985-11-20', gender: 'male' },
  {
    sub: 'vneid-demo-004',
    personalId: '001090099999',
    fullName: 'Phạm Văn Sai',
    birthDate: '1992-01-01',
    gender: 'male',
    note: 'số định danh không khớp năm sinh, để thử trường hợp bị từ chối',
  },
];

export const findIdentity = (sub: unknown) => demoIdentities.find((i) => i.sub === sub);
