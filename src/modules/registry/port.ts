import type { Gender } from '../../platform/auth/personal-id.ts';

/**
 * What the population registry answers, whichever adapter reaches it: the embedded tables of
 * a default install, or the national registry over HTTP. Every question carries its purpose,
 * so the registry (and our cache) can hold each answer to the purpose it was given for.
 */
export interface RegistryAddress {
  street: string;
  /** The commune or ward: its administrative unit code (QĐ 124/2004) and name. */
  unitCode: string;
  unitName: string;
}

export type Relation = 'head' | 'spouse' | 'child' | 'parent' | 'other';

export interface RegistryPerson {
  personalId: string;
  fullName: string;
  birthDate: string;
  gender: Gender;
  relation: Relation;
  permanentAddress: RegistryAddress;
  currentAddress: RegistryAddress;
}

export interface Household {
  id: string;
  headPersonalId: string;
  address: RegistryAddress;
  members: Pick<RegistryPerson, 'personalId' | 'fullName' | 'birthDate' | 'gender' | 'relation'>[];
}

export interface RegistryPort {
  /** The person, or null when the registry has no one with this ID. */
  findPerson(personalId: string, purpose: string): Promise<RegistryPerson | null>;
  /** The household the person belongs to, or null. */
  household(personalId: string, purpose: string): Promise<Household | null>;
}

/** The registry could not answer (down, slow, refusing us): callers say so and guess nothing. */
export class RegistryUnavailable extends Error {
  constructor(readonly reason: 'timeout' | 'error' | 'refused' | 'circuit-open', detail?: string) {
    super(`population registry unavailable: ${reason}${detail ? ` (${detail})` : ''}`);
  }
}

/** One line of an address as people write it: "Số 12 Phúc Xá, Phường Ba Đình, Hà Nội". */
export function addressText(a: RegistryAddress): string {
  return `${a.street}, ${a.unitName}, Hà Nội`;
}
