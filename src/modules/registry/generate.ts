import { composePersonalId, type Gender, provinceCodes } from '../../platform/auth/personal-id.ts';
import { seededRandom } from '../../platform/random/seeded.ts';
import type { Household, RegistryAddress, RegistryPerson, Relation } from './port.ts';

/**
 * A synthetic but consistent population for the embedded registry: households of Hanoi wards
 * and communes, each person's ID agreeing with their birth year, century and gender. The same
 * seed gives the same people on every install, so demos and tests can name them.
 */
export interface GeneratedRegistry {
  households: (Omit<Household, 'members'>)[];
  people: (RegistryPerson & { householdId: string })[];
}

export interface AdminUnit {
  code: string;
  name: string;
}

/** The demo citizen (account 0912345678) and their household, with a child of primary-school age. */
export const demoHousehold = {
  id: 'HK-DEMO-0001',
  unit: { code: '00004', name: 'Phường Ba Đình' },
  street: 'Số 12 phố Phúc Xá',
  members: [
    { personalId: '001090012345', fullName: 'Nguyễn Văn An', birthDate: '1990-05-15', gender: 'male', relation: 'head' },
    { personalId: '001192004321', fullName: 'Trần Thị Bình', birthDate: '1992-08-20', gender: 'female', relation: 'spouse' },
    { personalId: '001219000678', fullName: 'Nguyễn Minh Khôi', birthDate: '2019-09-02', gender: 'male', relation: 'child' },
    { personalId: '001322000912', fullName: 'Nguyễn Ngọc Hân', birthDate: '2022-03-11', gender: 'female', relation: 'child' },
  ],
} as const;

const surnames = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Phan', 'Đinh', 'Trịnh'];
const middle: Record<Gender, string[]> = { male: ['Văn', 'Đức', 'Minh', 'Quang', 'Hữu', 'Xuân', 'Tuấn', 'Gia'], female: ['Thị', 'Ngọc', 'Thu', 'Thanh', 'Minh', 'Phương', 'Bảo', 'Khánh'] };
const given: Record<Gender, string[]> = {
  male: ['An', 'Bình', 'Cường', 'Dũng', 'Hải', 'Hùng', 'Khang', 'Long', 'Nam', 'Phúc', 'Quân', 'Sơn', 'Thắng', 'Trung', 'Việt', 'Khôi', 'Huy', 'Đạt'],
  female: ['Anh', 'Châu', 'Dung', 'Giang', 'Hà', 'Hạnh', 'Hoa', 'Hương', 'Lan', 'Linh', 'Mai', 'Ngân', 'Nhung', 'Quỳnh', 'Thảo', 'Trang', 'Vy', 'Yến'],
};
const streets = ['phố Phúc Xá', 'phố Đội Cấn', 'phố Kim Mã', 'đường Láng', 'phố Hàng Bông', 'phố Trần Duy Hưng', 'đường Nguyễn Trãi', 'phố Huế', 'đường Giải Phóng', 'phố Tây Sơn', 'đường Lạc Long Quân', 'phố Nguyễn Văn Cừ'];


export function generateRegistry(units: readonly AdminUnit[], opts: { seed?: number; households?: number } = {}): GeneratedRegistry {
  if (!units.length) throw new Error('the registry needs at least one administrative unit');
  const random = seededRandom(opts.seed ?? 20_260_101);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const otherProvinces = Object.keys(provinceCodes).filter((c) => c !== '001');
  const used = new Set<string>(demoHousehold.members.map((m) => m.personalId));

  const out: GeneratedRegistry = { households: [], people: [] };
  const demoAddress: RegistryAddress = { street: demoHousehold.street, unitCode: demoHousehold.unit.code, unitName: demoHousehold.unit.name };
  out.households.push({ id: demoHousehold.id, headPersonalId: demoHousehold.members[0].personalId, address: demoAddress });
  for (const m of demoHousehold.members) out.people.push({ ...m, householdId: demoHousehold.id, permanentAddress: demoAddress, currentAddress: demoAddress });

  const person = (o: { surname: string; gender: Gender; year: number; relation: Relation; householdId: string; home: RegistryAddress }) => {
    // Most were born in Hanoi; some moved here from another province.
    const province = random() < 0.8 ? '001' : pick(otherProvinces);
    let personalId: string;
    do personalId = composePersonalId({ province, birthYear: o.year, gender: o.gender, serial: int(0, 999_999) });
    while (used.has(personalId));
    used.add(personalId);
    const birthDate = `${o.year}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`;
    // A few live elsewhere in the city than where they are registered.
    const current = random() < 0.1 ? { street: `Số ${int(1, 200)} ${pick(streets)}`, unitCode: pick(units).code, unitName: '' } : o.home;
    if (current !== o.home) current.unitName = units.find((u) => u.code === current.unitCode)?.name ?? '';
    out.people.push({
      personalId,
      fullName: `${o.surname} ${pick(middle[o.gender])} ${pick(given[o.gender])}`,
      birthDate,
      gender: o.gender,
      relation: o.relation,
      householdId: o.householdId,
      permanentAddress: o.home,
      currentAddress: current,
    });
    return personalId;
  };

  const count = opts.households ?? 400;
  for (let h = 1; h <= count; h++) {
    const unit = pick(units);
    const home: RegistryAddress = { street: `Số ${int(1, 300)} ${pick(streets)}`, unitCode: unit.code, unitName: unit.name };
    const id = `HK-${String(h).padStart(6, '0')}`;
    const surname = pick(surnames);
    const headGender: Gender = random() < 0.7 ? 'male' : 'female';
    const headYear = int(1950, 1998);
    const headId = person({ surname, gender: headGender, year: headYear, relation: 'head', householdId: id, home });
    out.households.push({ id, headPersonalId: headId, address: home });
    if (random() < 0.8) person({ surname: pick(surnames), gender: headGender === 'male' ? 'female' : 'male', year: headYear + int(-4, 4), relation: 'spouse', householdId: id, home });
    for (let c = int(0, 3); c > 0; c--) {
      const year = Math.min(2025, headYear + int(22, 38));
      person({ surname, gender: random() < 0.5 ? 'male' : 'female', year, relation: 'child', householdId: id, home });
    }
    if (random() < 0.2 && headYear >= 1965) person({ surname, gender: random() < 0.5 ? 'male' : 'female', year: headYear - int(22, 30), relation: 'parent', householdId: id, home });
  }
  return out;
}
