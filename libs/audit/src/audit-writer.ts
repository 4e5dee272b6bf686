import type { AuditActor, AuditRecord, AuditSink } from '@app/kernel';
import { Injectable } from '@nestjs/common';
import { SYSTEM_CHAIN, chainHash, type CanonicalEvent } from './canonical.js';

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
 * Appends audit records to the actor organisation's hash chain inside the caller's transaction: it
 * locks the chain head (until commit), computes each event's hash from the previous one, and inserts
 * them in one statement. A database trigger refuses any event that does not extend its chain exactly.
 *
 * A record marked `onOwnerChain` goes on the chain of the organisation it names as owner instead: a
 * denied attempt on another organisation's data is recorded on the actor's chain (what its user did)
 * and, as a second event, on the owner's chain, so the owner's privacy officer sees it and the owner's
 * own verification covers it. Heads are locked in chain-id order, so two writers that both touch two
 * chains cannot wait on each other in a cycle.
 */
@Injectable()
export class AuditWriter implements AuditSink {
  async write(query: (sql: string, params?: unknown[]) => Promise<any[]>, actor: AuditActor, records: readonly AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    const actorChain = uuid(actor.organisationId) ?? SYSTEM_CHAIN;
    const chainOf = (record: AuditRecord) => (record.onOwnerChain && record.ownerOrganisationId ? uuid(record.ownerOrganisationId)! : actorChain);
    const heads = new Map<string, { seq: number; prev: Buffer }>();
    for (const chain of [...new Set(records.map(chainOf))].sort()) {
      const [head] = await query(`SELECT seq, head_hash FROM audit_lock_head($1)`, [chain]);
      heads.set(chain, { seq: Number(head.seq), prev: head.head_hash });
    }
    const occurredAt = new Date().toISOString();
    const rows: Array<{ event: CanonicalEvent; prev: Buffer; hash: Buffer }> = [];
    for (const record of records) {
      const chain = chainOf(record);
      const head = heads.get(chain)!;
      head.seq += 1;
      const seq = head.seq;
      const prev = head.prev;
      const owner = uuid(record.ownerOrganisationId ?? (record.subjectPersonId ? actor.organisationId : undefined));
      const referral = uuid(record.ground?.referralId);
      const event: CanonicalEvent = {
        chain,
        seq,
        occurredAt,
        ...(owner ? { ownerOrganisationId: owner } : {}),
        actorUserId: uuid(actor.userId),
        actorOrganisationId: uuid(actor.organisationId),
        actorRoles: [...(actor.roles ?? [])],
        action: record.action,
        resourceType: record.resourceType ?? null,
        resourceId: record.resourceId === undefined ? null : UUID.test(record.resourceId) ? record.resourceId.toLowerCase() : record.resourceId,
        subjectPersonId: uuid(record.subjectPersonId),
        categories: [...(record.categories ?? [])],
        purpose: record.purpose ?? actor.purpose ?? null,
        decision: record.decision,
        groundKind: record.ground?.kind ?? null,
        groundInvolvementId: uuid(record.ground?.involvementId),
        groundAgreementId: uuid(record.ground?.agreementId),
        groundConsentId: uuid(record.ground?.consentId),
        groundBreakGlassId: uuid(record.ground?.breakGlassId),
        ...(referral ? { groundReferralId: referral } : {}),
        requestId: actor.requestId || null,
        clientAddress: actor.clientAddress ?? null,
        userAgent: actor.userAgent ? actor.userAgent.slice(0, MAX_USER_AGENT) : null,
      };
      const hash = chainHash(prev, event);
      rows.push({ event, prev, hash });
      head.prev = hash;
    }
    const column = <K extends keyof CanonicalEvent>(key: K) => rows.map((r) => r.event[key]);
    // Arrays of arrays cannot travel as one parameter; roles and categories go as JSON text.
    await query(
      `INSERT INTO audit_event (chain_id, seq, occurred_at, actor_user_id, actor_organisation_id, actor_roles, action, resource_type,
                                resource_id, subject_person_id, owner_organisation_id, categories, purpose, decision, ground_kind, ground_involvement_id,
                                ground_agreement_id, ground_consent_id, ground_break_glass_id, ground_referral_id, request_id, client_address, user_agent,
                                prev_hash, hash)
       SELECT chain, seq, $2, $3, $4, ARRAY(SELECT jsonb_array_elements_text(roles)), action, resource_type, resource_id, subject, owner,
              ARRAY(SELECT jsonb_array_elements_text(categories)), purpose, decision, ground_kind, g_inv, g_agr, g_con, g_bg, g_ref, $6, $7, $8, prev, hash
         FROM unnest($9::bigint[], $10::jsonb[], $11::text[], $12::text[], $13::text[], $14::uuid[], $15::jsonb[], $16::text[], $17::text[],
                     $18::uuid[], $19::uuid[], $20::uuid[], $21::uuid[], $22::bytea[], $23::bytea[], $24::uuid[], $1::uuid[], $25::uuid[], $5::text[])
              AS e(seq, roles, action, resource_type, resource_id, subject, categories, decision, ground_kind, g_inv, g_agr, g_con, g_bg, prev, hash, owner, chain, g_ref, purpose)
        ORDER BY chain, seq`,
      [
        column('chain'),
        occurredAt,
        rows[0].event.actorUserId,
        rows[0].event.actorOrganisationId,
        column('purpose'),
        actor.requestId || null,
        actor.clientAddress ?? null,
        rows[0].event.userAgent,
        column('seq'),
        column('actorRoles').map((roles) => JSON.stringify(roles)),
        column('action'),
        column('resourceType'),
        column('resourceId'),
        column('subjectPersonId'),
        column('categories').map((categories) => JSON.stringify(categories)),
        column('decision'),
        column('groundKind'),
        column('groundInvolvementId'),
        column('groundAgreementId'),
        column('groundConsentId'),
        column('groundBreakGlassId'),
        rows.map((r) => r.prev),
        rows.map((r) => r.hash),
        rows.map((r) => r.event.ownerOrganisationId ?? null),
        rows.map((r) => r.event.groundReferralId ?? null),
      ],
    );
    const flagged = records.map((record, i) => ({ record, event: rows[i].event })).filter((x) => x.record.flag);
    for (const { record, event } of flagged) {
      await query(
        `INSERT INTO audit_flag (organisation_id, kind, actor_user_id, actor_organisation_id, subject_person_id, event_chain, event_seq, details)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          record.flag!.organisationId,
          record.flag!.kind,
          event.actorUserId,
          event.actorOrganisationId,
          event.subjectPersonId,
          event.chain,
          event.seq,
          JSON.stringify({ action: event.action, categories: event.categories, breakGlassId: event.groundBreakGlassId }),
        ],
      );
    }
  }
}
