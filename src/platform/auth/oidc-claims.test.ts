import { describe, expect, it } from 'vitest';
import { identityFromClaims } from './oidc-claims.ts';

const names = { personalId: 'personal_id', name: 'name', birthDate: 'birthdate', gender: 'gender' };
const today = new Date('2026-11-27T00:00:00Z');
const an = { personal_id: '001090012345', name: 'Nguyễn Văn An', birthdate: '1990-05-15', gender: 'male' };

describe('identityFromClaims', () => {
  it('maps standard claims to a verified identity', () => {
    expect(identityFromClaims(an, names, today)).toEqual({
      ok: true,
      identity: { personalId: '001090012345', fullName: 'Nguyễn Văn An', birthDate: '1990-05-15', gender: 'male' },
    });
  });

  it('reads claim names from configuration and Vietnamese-style values', () => {
    const vneid = { soDinhDanh: '001 301 004 567', hoVaTen: '  Trần   Thị Bình ', ngaySinh: '08/03/2001', gioiTinh: 'Nữ' };
    const result = identityFromClaims(vneid, { personalId: 'soDinhDanh', name: 'hoVaTen', birthDate: 'ngaySinh', gender: 'gioiTinh' }, today);
    expect(result).toEqual({ ok: true, identity: { personalId: '001301004567', fullName: 'Trần Thị Bình', birthDate: '2001-03-08', gender: 'female' } });
  });

  it('accepts a token without birth date or gender (nothing to contradict)', () => {
    expect(identityFromClaims({ personal_id: '001090012345', name: 'An' }, names, today)).toMatchObject({ ok: true, identity: { birthDate: null, gender: null } });
  });

  it.each([
    [{ ...an, personal_id: undefined }, 'missingPersonalId'],
    [{ ...an, name: ' ' }, 'missingName'],
    [{ ...an, personal_id: '12345' }, 'badPersonalId'],
    [{ ...an, personal_id: '003090012345' }, 'badPersonalId'],
    [{ ...an, birthdate: '1992-05-15' }, 'mismatch'],
    [{ ...an, gender: 'female' }, 'mismatch'],
  ])('refuses %o: %s', (claims, reason) => {
    expect(identityFromClaims(claims, names, today)).toEqual({ ok: false, reason });
  });

  it('ignores an impossible date rather than trusting it', () => {
    expect(identityFromClaims({ ...an, birthdate: '1990-02-30' }, names, today)).toMatchObject({ ok: true, identity: { birthDate: null } });
  });
});
