import type { Gender } from '../../platform/auth/personal-id.ts';
import { addressText, type Household, type RegistryPerson, type Relation } from './port.ts';

/**
 * Prefilled registry data is a verified claim, not autofill: the values the citizen agreed to
 * share are kept on the server with the draft, shown read-only, and at submission every
 * submitted value that the claims cover must equal the claim exactly.
 */
export interface VerifiedClaims {
  consentId: string;
  personalId: string;
  /** When the registry answered. */
  at: string;
  values: { fullName: string; birthDate: string; gender: Gender; permanentAddress: string; currentAddress: string };
  /** The other members of the household, when the purpose needs them (a child's enrollment). */
  household?: { fullName: string; birthDate: string; gender: Gender; relation: Relation }[];
}

export type ClaimField = keyof VerifiedClaims['values'];
export const claimFields: readonly ClaimField[] = ['fullName', 'birthDate', 'gender', 'permanentAddress', 'currentAddress'];

/** The applicant fields of an application that a claim answers (`address` is where they live now). */
export const applicantClaims: Readonly<Record<string, ClaimField | 'personalId'>> = {
  personalId: 'personalId',
  fullName: 'fullName',
  address: 'currentAddress',
  birthDate: 'birthDate',
  gender: 'gender',
  permanentAddress: 'permanentAddress',
};

export function claimsFrom(person: RegistryPerson, household: Household | null, consentId: string, at: string): VerifiedClaims {
  return {
    consentId,
    personalId: person.personalId,
    at,
    values: {
      fullName: person.fullName,
      birthDate: person.birthDate,
      gender: person.gender,
      permanentAddress: addressText(person.permanentAddress),
      currentAddress: addressText(person.currentAddress),
    },
    ...(household
      ? { household: household.members.filter((m) => m.personalId !== person.personalId).map(({ fullName, birthDate, gender, relation }) => ({ fullName, birthDate, gender, relation })) }
      : {}),
  };
}

/** The applicant values the claims fix, by applicant field name: what the form shows read-only. */
export function claimedApplicant(claims: VerifiedClaims): Record<string, string> {
  return Object.fromEntries(
    Object.entries(applicantClaims).map(([field, claim]) => [field, claim === 'personalId' ? claims.personalId : claims.values[claim]]),
  );
}

/**
 * The submitted fields whose value differs from its verified claim. A field left out is not a
 * change (the claim stands); compared after Unicode normalisation, never after trimming or
 * case folding: a verified value is exact.
 */
export function alteredFields(claims: VerifiedClaims, submitted: Record<string, unknown>): string[] {
  const fixed = claimedApplicant(claims);
  return Object.entries(fixed)
    .filter(([field, value]) => submitted[field] !== undefined && String(submitted[field]).normalize('NFC') !== value.normalize('NFC'))
    .map(([field]) => field);
}
