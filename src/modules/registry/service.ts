import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Actor } from '../../platform/audit/index.ts';
import { personalIdSchema } from '../../platform/auth/personal-id.ts';
import type { SessionAccount } from '../../platform/auth/policy.ts';
import { AppError, validate } from '../../platform/http/errors.ts';
import type { Platform } from '../../platform/index.ts';
import { claimFields, claimsFrom, type VerifiedClaims } from './claims.ts';
import { type Household, type RegistryPerson, type RegistryPort, RegistryUnavailable } from './port.ts';
import type { RegistryStore, RegistryTrx } from './store.ts';
import type { RegistryLookupRow } from './tables.ts';

/** A procedure as the consent names it; a child's enrollment (education) also shares the household. */
export interface ConsentProcedure {
  code: string;
  name: string;
  domain: string;
}

/** A dossier as a lookup needs it: who holds it and which people it names. */
export interface LookupDossier {
  code: string;
  holderAgency: string;
  personalIds: string[];
}

export const lookupSchema = z.strictObject({
  personalId: personalIdSchema.describe('The person to look up: the applicant or someone declared in the dossier’s form'),
  purpose: z.string({ error: 'registry.purposeRequired' }).trim().min(10, 'registry.purposeRequired').max(500).describe('Why the officer needs the data; shown to the citizen'),
});

export function sharedFields(procedure: ConsentProcedure): string[] {
  return procedure.domain === 'giao-duc' ? [...claimFields, 'household'] : [...claimFields];
}

/**
 * The registry's use cases: a citizen's consented prefill and an officer's lookup for a
 * dossier. Each read of a person's data is written to the lookup log in the same transaction
 * as its audit entry; a registry that cannot answer is reported, never guessed around.
 */
export class RegistryService {
  constructor(
    private readonly platform: Platform,
    readonly store: RegistryStore,
    private readonly port: RegistryPort,
  ) {}

  /** Prefill is offered only to a citizen whose personal ID is proven, and only for that ID. */
  canPrefill(account: SessionAccount | null): boolean {
    return account?.kind === 'citizen' && Boolean(account.verifiedPersonalId);
  }

  async prefill(account: SessionAccount, procedure: ConsentProcedure, actor: Actor): Promise<VerifiedClaims> {
    const personalId = account.kind === 'citizen' ? account.verifiedPersonalId : null;
    if (!personalId) throw new AppError(403, 'REGISTRY_IDENTITY_NOT_VERIFIED', 'registry.identityNotVerified');
    const fields = sharedFields(procedure);
    const purpose = `prefill:${procedure.code}`;
    const { person, household } = await this.ask(personalId, purpose, fields.includes('household'), 'registry.unavailable');
    if (!person) throw new AppError(404, 'REGISTRY_PERSON_NOT_FOUND', 'registry.prefillNotFound');
    const consentId = randomUUID();
    const at = new Date().toISOString();
    await this.store.transaction(async (trx) => {
      await this.store.insertConsent(trx, { id: consentId, account_id: account.id, personal_id: personalId, procedure_code: procedure.code, purpose: procedure.name, fields_json: JSON.stringify(fields), at });
      await this.log(trx, actor, {
        at,
        personal_id: personalId,
        kind: 'prefill',
        actor_id: account.id,
        actor_label: account.label,
        actor_agency: null,
        dossier_code: null,
        procedure_code: procedure.code,
        consent_id: consentId,
        purpose: procedure.name,
        outcome: 'found',
      });
    });
    return claimsFrom(person, household, consentId, at);
  }

  /**
   * An officer's lookup of a person named in a dossier their agency holds (the route has
   * authorised the agency); the purpose is required and recorded with the lookup.
   */
  async lookupForDossier(
    account: SessionAccount,
    dossier: LookupDossier,
    input: unknown,
    actor: Actor,
  ): Promise<{ lookupId: string; person: RegistryPerson | null; household: Household | null }> {
    const v = validate(lookupSchema, input);
    if (account.kind !== 'officer' || account.agencyCode !== dossier.holderAgency) throw new AppError(403, 'REGISTRY_NOT_HOLDER', 'registry.notHolder');
    if (!dossier.personalIds.includes(v.personalId)) {
      throw new AppError(400, 'VALIDATION_FAILED', 'http.validation', { fields: [{ field: 'personalId', key: 'registry.notInDossier' }] });
    }
    const { person, household } = await this.ask(v.personalId, `dossier:${dossier.code}`, true, 'registry.lookupUnavailable');
    const lookupId = randomUUID();
    await this.store.transaction((trx) =>
      this.log(trx, actor, {
        id: lookupId,
        at: new Date().toISOString(),
        personal_id: v.personalId,
        kind: 'officer',
        actor_id: account.id,
        actor_label: account.label,
        actor_agency: account.agencyCode,
        dossier_code: dossier.code,
        procedure_code: null,
        consent_id: null,
        purpose: v.purpose,
        outcome: person ? 'found' : 'not_found',
      }),
    );
    return { lookupId, person, household };
  }

  /** The lookups of the citizen's own data; only a proven personal ID is "their own". */
  async accessLog(account: SessionAccount, page: { page: number; pageSize: number }) {
    const personalId = account.kind === 'citizen' ? account.verifiedPersonalId : null;
    if (!personalId) return null;
    const { items, total } = await this.store.lookupsOf(personalId, { offset: (page.page - 1) * page.pageSize, limit: page.pageSize });
    return {
      total,
      items: items.map((r) => ({
        at: r.at,
        kind: r.kind,
        who: r.actor_label,
        agency: r.actor_agency,
        dossierCode: r.dossier_code,
        procedureCode: r.procedure_code,
        purpose: r.purpose,
        outcome: r.outcome,
      })),
    };
  }

  private async ask(personalId: string, purpose: string, withHousehold: boolean, unavailableKey: string) {
    try {
      const person = await this.port.findPerson(personalId, purpose);
      const household = person && withHousehold ? await this.port.household(personalId, purpose) : null;
      return { person, household };
    } catch (err) {
      if (err instanceof RegistryUnavailable) throw new AppError(503, 'REGISTRY_UNAVAILABLE', unavailableKey);
      throw err;
    }
  }

  private async log(trx: RegistryTrx, actor: Actor, row: Omit<RegistryLookupRow, 'id'> & { id?: string }): Promise<void> {
    const id = row.id ?? randomUUID();
    await this.store.insertLookup(trx, { ...row, id });
    // The audit entry names the lookup, not the person: personal data stays in one table.
    await this.platform.audit.record(
      {
        actorId: actor.id,
        actorLabel: actor.label,
        ip: actor.ip,
        requestId: actor.requestId,
        action: row.kind === 'prefill' ? 'registry.prefill' : 'registry.lookup',
        targetType: 'registry_lookup',
        targetId: id,
        after: { dossier: row.dossier_code, procedure: row.procedure_code, purpose: row.purpose, outcome: row.outcome },
      },
      trx as never,
    );
  }
}
