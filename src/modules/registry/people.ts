import { maskPersonalId, parsePersonalId } from '../../platform/auth/personal-id.ts';

/**
 * The people a dossier names, and so the only people an officer may look up for it: the
 * applicant, and anyone declared in its form by personal ID (a partner, a child).
 */
export function dossierPeople(d: { applicant: { personalId: string | null; name: string }; form: Record<string, unknown> }): { personalId: string; label: string }[] {
  const people = d.applicant.personalId ? [{ personalId: d.applicant.personalId, label: d.applicant.name }] : [];
  const answers = (d.form as { answers?: Record<string, unknown> }).answers ?? {};
  for (const [field, value] of Object.entries(answers)) {
    if (typeof value === 'string' && parsePersonalId(value).ok && !people.some((p) => p.personalId === value)) people.push({ personalId: value, label: field });
  }
  return people.map((p) => ({ personalId: p.personalId, label: `${p.label} (${maskPersonalId(p.personalId)})` }));
}
