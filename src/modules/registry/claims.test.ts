import { describe, expect, it } from 'vitest';
import { alteredFields, type VerifiedClaims } from './claims.ts';

const claims: VerifiedClaims = {
  consentId: 'c1',
  personalId: '001090012345',
  at: '2026-11-27T00:00:00.000Z',
  values: { fullName: 'Nguyễn Văn An', birthDate: '1990-05-15', gender: 'male', permanentAddress: 'Số 12 phố Phúc Xá, Phường Ba Đình, Hà Nội', currentAddress: 'Số 12 phố Phúc Xá, Phường Ba Đình, Hà Nội' },
};

describe('alteredFields', () => {
  it('accepts the claimed values, in either Unicode form, and fields left out', () => {
    expect(alteredFields(claims, { fullName: 'Nguyễn Văn An', personalId: '001090012345', address: claims.values.currentAddress, phone: '0912345678' })).toEqual([]);
    expect(alteredFields(claims, { fullName: 'Nguyễn Văn An'.normalize('NFD') })).toEqual([]);
    expect(alteredFields(claims, {})).toEqual([]);
  });

  it('names every field whose value is not exactly the claim', () => {
    expect(alteredFields(claims, { fullName: 'Nguyễn Văn Ân', personalId: '001090012346', address: 'Số 13 phố Phúc Xá', birthDate: '1990-05-16', gender: 'female' })).toEqual([
      'personalId',
      'fullName',
      'address',
      'birthDate',
      'gender',
    ]);
    // Case and spacing are part of the claim: a verified value is not "close enough".
    expect(alteredFields(claims, { fullName: 'nguyễn văn an' })).toEqual(['fullName']);
    expect(alteredFields(claims, { fullName: ' Nguyễn Văn An' })).toEqual(['fullName']);
  });
});
