import type { AuditActor, AuditRecord, AuditSink } from '@app/kernel';
import { Injectable } from '@nestjs/common';
import { SYSTEM_CHAIN } from './canonical.js';

const MAX_USER_AGENT = 400;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A uuid as PostgreSQL stores and prints it (lower case): the hash must cover exactly the stored
 * text, or one request with an upper-case id would break its chain's tamper evidence.
 */
function uuid(value: string | undefined | null): string | null {
  return value ? value.toLowerCase() : null;
}

/**
 * Appends audit records to `audit_entry` inside the caller's transaction, in one statement and
 * without a lock: the events commit or roll back with the work they record (fail closed), and no
 * two requests wait on each other here. The AuditSequencer puts committed entries on their chains.
 *
 * Each entry names the chain it is bound for: the actor organisation's, or for a record marked
 * `onOwnerChain`, the chain of the organisation it names as owner (a denied attempt on another
 * organisation's data is recorded on the actor's chain, what its user did, and as a second event on
 * the owner's chain, so the owner's privacy officer sees it and the owner's verification covers it).
 * The database numbers each entry and stamps its time (to the millisecond the canonical text hashes):
 * the app role may insert the content columns only (migration 1767200000000).
 */
@Injectable()
export class AuditWriter implements AuditSink {
  async write(query: (sql: string, params?: unknown[]) => Promise<any[]>, actor: AuditActor, records: readonly AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    const actorChain = uuid(actor.organisationId) ?? SYSTEM_CHAIN;
    const column = <T>(pick: (record: AuditRecord) => T): T[] => records.map(pick);
    await query(
      `INSERT INTO audit_entry (chain_id, actor_user_id, actor_organisation_id, actor_roles, action, resource_type, resource_id,
                                subject_person_id, owner_organisation_id, categories, purpose, decision, ground_kind, ground_involvement_id,
                                ground_agreement_id, ground_consent_id, ground_break_glass_id, ground_referral_id, request_id, client_address,
                                user_agent, flag_organisation_id, flag_kind)
       SELECT chain, $2, $3, $4, action, resource_type, resource_id, subject, owner, ARRAY(SELECT jsonb_array_elements_text(categories)),
              purpose, decision, ground_kind, g_inv, g_agr, g_con, g_bg, g_ref, $5, $6, $7, flag_org, flag_kind
         FROM unnest($1::uuid[], $8::text[], $9::text[], $10::text[], $11::uuid[], $12::uuid[], $13::jsonb[], $14::text[], $15::text[],
                     $16::text[], $17::uuid[], $18::uuid[], $19::uuid[], $20::uuid[], $21::uuid[], $22::uuid[], $23::text[])
              WITH ORDINALITY AS e(chain, action, resource_type, resource_id, subject, owner, categories, purpose, decision, ground_kind,
                                   g_inv, g_agr, g_con, g_bg, g_ref, flag_org, flag_kind, n)
        ORDER BY n`,
      [
        column((r) => (r.onOwnerChain && r.ownerOrganisationId ? uuid(r.ownerOrganisationId) : actorChain)),
        uuid(actor.userId),
        uuid(actor.organisationId),
        [...(actor.roles ?? [])],
        actor.requestId || null,
        actor.clientAddress ?? null,
        actor.userAgent ? actor.userAgent.slice(0, MAX_USER_AGENT) : null,
        column((r) => r.action),
        column((r) => r.resourceType ?? null),
        column((r) => (r.resourceId === undefined ? null : UUID.test(r.resourceId) ? r.resourceId.toLowerCase() : r.resourceId)),
        column((r) => uuid(r.subjectPersonId)),
        column((r) => uuid(r.ownerOrganisationId ?? (r.subjectPersonId ? actor.organisationId : undefined))),
        // arrays of arrays cannot travel as one parameter: categories go as JSON text
        column((r) => JSON.stringify([...(r.categories ?? [])])),
        column((r) => r.purpose ?? actor.purpose ?? null),
        column((r) => r.decision),
        column((r) => r.ground?.kind ?? null),
        column((r) => uuid(r.ground?.involvementId)),
        column((r) => uuid(r.ground?.agreementId)),
        column((r) => uuid(r.ground?.consentId)),
        column((r) => uuid(r.ground?.breakGlassId)),
        column((r) => uuid(r.ground?.referralId)),
        column((r) => uuid(r.flag?.organisationId)),
        column((r) => r.flag?.kind ?? null),
      ],
    );
  }
}
