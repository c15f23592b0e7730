import { readFile } from 'node:fs/promises';
import { type AdminUnit, generateRegistry } from './generate.ts';
import type { Household, RegistryPerson, RegistryPort } from './port.ts';
import type { RegistryStore } from './store.ts';

/** The default install's registry: the synthetic population in this database. */
export class EmbeddedRegistry implements RegistryPort {
  constructor(private readonly store: RegistryStore) {}

  // The purpose matters to the national registry and to the log, not to a local table read.
  findPerson(personalId: string, _purpose: string): Promise<RegistryPerson | null> {
    return this.store.person(personalId);
  }

  household(personalId: string, _purpose: string): Promise<Household | null> {
    return this.store.householdOf(personalId);
  }
}

/** The wards and communes of Hanoi today (2-level structure), with their real unit codes. */
export async function hanoiUnits(agenciesFile: string): Promise<AdminUnit[]> {
  const data = JSON.parse(await readFile(agenciesFile, 'utf8')) as { agencies: { level: string; kind: string; name: string; adminUnitCode?: string }[] };
  return data.agencies
    .filter((a) => a.level === 'commune' && a.kind === 'people-committee' && a.adminUnitCode)
    .map((a) => ({ code: a.adminUnitCode as string, name: a.name.replace(/^Ủy ban nhân dân (.)/u, (_m, first: string) => first.toUpperCase()) }));
}

/** Fills an empty registry with the generated population; a filled one is left as it is. */
export async function seedEmbeddedRegistry(store: RegistryStore, agenciesFile: string): Promise<{ people: number } | null> {
  if (!(await store.isEmpty())) return null;
  const data = generateRegistry(await hanoiUnits(agenciesFile));
  await store.load(data);
  return { people: data.people.length };
}
