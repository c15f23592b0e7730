import { describe, expect, it } from 'vitest';
import { checkPersonalId, composePersonalId, maskPersonalId, parsePersonalId, personalIdSchema, provinceCodes } from './personal-id.ts';

const today = new Date('2026-03-01T00:00:00Z');

describe('parsePersonalId', () => {
  it.each([
    ['001090012345', { province: '001', provinceName: 'Hà Nội', bornAbroad: false, gender: 'male', birthYear: 1990 }],
    ['079185000123', { province: '079', provinceName: 'TP Hồ Chí Minh', bornAbroad: false, gender: 'female', birthYear: 1985 }],
    ['031305123456', { province: '031', provinceName: 'Hải Phòng', bornAbroad: false, gender: 'female', birthYear: 2005 }],
    ['096224999999', { province: '096', provinceName: 'Cà Mau', bornAbroad: false, gender: 'male', birthYear: 2024 }],
    ['840088000001', { province: '840', provinceName: null, bornAbroad: true, gender: 'male', birthYear: 1988 }],
  ])('reads %s', (id, expected) => {
    expect(parsePersonalId(id, today)).toEqual({ ok: true, ...expected });
  });

  it.each([
    ['00109001234', 'format'],
    ['0010900123456', 'format'],
    ['00109001234a', 'format'],
    [' 01090012345', 'format'],
    ['003090012345', 'province'],
    ['000090012345', 'province'],
    ['099090012345', 'province'],
    ['001230012345', 'century'], // 2030: in the future
    ['001499012345', 'century'], // 2199
    ['001990012345', 'century'], // 2390
  ])('rejects %s (%s)', (id, reason) => {
    expect(parsePersonalId(id, today)).toEqual({ ok: false, reason });
  });

  it('knows the 63 provinces of QĐ 124/2004', () => {
    expect(Object.keys(provinceCodes)).toHaveLength(63);
    expect(provinceCodes['002']).toBe('Hà Giang');
    expect(Object.keys(provinceCodes).every((c) => /^0\d\d$/.test(c))).toBe(true);
  });
});

describe('checkPersonalId', () => {
  it('accepts an ID consistent with its facts', () => {
    expect(checkPersonalId('001090012345', { birthDate: '1990-05-15', gender: 'male' }, today)).toEqual([]);
    expect(checkPersonalId('001301012345', { birthDate: '2001-01-31', gender: 'female' }, today)).toEqual([]);
  });

  it('names each fact the digits contradict', () => {
    // Century digit 2 with year 90 means 2090: impossible, whatever the date of birth says.
    expect(checkPersonalId('001290012345', { birthDate: '1990-05-15' }, today)).toEqual(['century']);
    // Century digit for the 2000s on someone born in 1901.
    expect(checkPersonalId('001201012345', { birthDate: '1901-05-15', gender: 'male' }, today)).toEqual(['birthYear']);
    expect(checkPersonalId('001090012345', { birthDate: '1991-05-15' }, today)).toEqual(['birthYear']);
    expect(checkPersonalId('001090012345', { gender: 'female' }, today)).toEqual(['gender']);
    expect(checkPersonalId('001190012345', { birthDate: '1989-01-01', gender: 'male' }, today)).toEqual(['birthYear', 'gender']);
  });

  it('reports a broken structure before any fact', () => {
    expect(checkPersonalId('003090012345', { birthDate: '1990-05-15' }, today)).toEqual(['province']);
  });
});

describe('personalIdSchema', () => {
  it('strips spaces and uses message keys', () => {
    expect(personalIdSchema.parse('001 090 012 345')).toBe('001090012345');
    expect(personalIdSchema.safeParse('003090012345').error?.issues[0]?.message).toBe('auth.personalId.province');
    expect(personalIdSchema.safeParse('12345').error?.issues[0]?.message).toBe('auth.personalId.format');
  });

  it('masks for display', () => {
    expect(maskPersonalId('001090012345')).toBe('001*******45');
  });
});

describe('composePersonalId', () => {
  it.each([
    [{ province: '001', birthYear: 1990, gender: 'male' as const, serial: 12345 }, '001090012345'],
    [{ province: '001', birthYear: 2019, gender: 'male' as const, serial: 7 }, '001219000007'],
    [{ province: '079', birthYear: 1985, gender: 'female' as const, serial: 123 }, '079185000123'],
    [{ province: '031', birthYear: 2005, gender: 'female' as const, serial: 123456 }, '031305123456'],
  ])('writes the digits parsePersonalId reads back (%o)', (facts, id) => {
    expect(composePersonalId(facts)).toBe(id);
    expect(parsePersonalId(id, today)).toMatchObject({ ok: true, province: facts.province, gender: facts.gender, birthYear: facts.birthYear });
    expect(checkPersonalId(id, { birthDate: `${facts.birthYear}-06-01`, gender: facts.gender }, today)).toEqual([]);
  });

  it('refuses facts no ID can carry', () => {
    expect(() => composePersonalId({ province: '001', birthYear: 1899, gender: 'male', serial: 1 })).toThrow(RangeError);
    expect(() => composePersonalId({ province: '001', birthYear: 1990, gender: 'male', serial: 1_000_000 })).toThrow(RangeError);
    expect(() => composePersonalId({ province: '1', birthYear: 1990, gender: 'male', serial: 1 })).toThrow(RangeError);
  });
});

describe('personalIdSchema on hostile input', () => {
  it.each([
    ['', 'format'],
    ['001-090-012345', 'format'],
    ['００１０９００１２３４５', 'format'], // full-width digits are not digits of an ID
    ['001090012345\u0000', 'format'],
    ['002090012345x', 'format'],
  ])('refuses %j (%s)', (input, reason) => {
    expect(personalIdSchema.safeParse(input).error?.issues[0]?.message).toBe(`auth.personalId.${reason}`);
  });
});
