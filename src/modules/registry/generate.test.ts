import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPersonalId } from '../../platform/auth/personal-id.ts';
import { hanoiUnits } from './embedded.ts';
import { demoHousehold, generateRegistry } from './generate.ts';

const agenciesFile = path.resolve(import.meta.dirname, '../../../data/agencies/hanoi-2-levels.json');

describe('the synthetic population', async () => {
  const units = await hanoiUnits(agenciesFile);
  const data = generateRegistry(units);

  it('uses the real wards and communes of Hanoi', () => {
    expect(units).toContainEqual({ code: '00004', name: 'Phường Ba Đình' });
    expect(units.length).toBeGreaterThan(30);
    const codes = new Set(units.map((u) => u.code));
    for (const p of data.people) {
      expect(codes.has(p.permanentAddress.unitCode)).toBe(true);
      expect(codes.has(p.currentAddress.unitCode)).toBe(true);
      expect(units.find((u) => u.code === p.currentAddress.unitCode)?.name).toBe(p.currentAddress.unitName);
    }
  });

  it('gives everyone a unique ID whose digits agree with their birth year, century and gender', () => {
    expect(data.people.length).toBeGreaterThan(1000);
    expect(new Set(data.people.map((p) => p.personalId)).size).toBe(data.people.length);
    for (const p of data.people) expect(checkPersonalId(p.personalId, { birthDate: p.birthDate, gender: p.gender }), p.personalId).toEqual([]);
  });

  it('puts everyone in a household with one head, living at its address', () => {
    const byHousehold = new Map<string, typeof data.people>();
    for (const p of data.people) byHousehold.set(p.householdId, [...(byHousehold.get(p.householdId) ?? []), p]);
    expect(byHousehold.size).toBe(data.households.length);
    for (const h of data.households) {
      const members = byHousehold.get(h.id) ?? [];
      expect(members.filter((m) => m.relation === 'head').map((m) => m.personalId)).toEqual([h.headPersonalId]);
      for (const m of members) expect(m.permanentAddress).toEqual(h.address);
    }
  });

  it('is the same on every install, and holds the demo citizen with a school-age child', () => {
    expect(generateRegistry(units)).toEqual(data);
    expect(generateRegistry(units, { seed: 7 })).not.toEqual(data);
    const demo = data.people.filter((p) => p.householdId === demoHousehold.id);
    expect(demo.map((p) => p.personalId)).toEqual(demoHousehold.members.map((m) => m.personalId));
    expect(demo.some((p) => p.relation === 'child' && p.birthDate.startsWith('2019'))).toBe(true);
  });
});
