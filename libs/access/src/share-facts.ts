import { OPEN_END, type DataCategory, type RequestContext, type Tx } from '@app/kernel';
import { type ClientSectionSubject } from './ability.js';
import { subject } from '@casl/ability';

export type ShareFacts = Omit<ClientSectionSubject, 'category'>;

const day = (value: string | null) => value ?? OPEN_END;

/**
 * Gathers, for one person and some owning organisations, the facts the per-record sharing rule
 * (CASL, `shareRules` in ./ability.ts) decides on: the caller's involvements with the person, the
 * agreement flows out of each owner to the caller's organisation, the person's consents each owner
 * recorded that name the caller's organisation, the caller's break-the-glass grants, and the
 * agreements linking each owner with the caller's organisation, and each owner's handovers to the
 * caller's organisation. It joins; it does not decide.
 */
export async function loadShareFacts(tx: Tx, ctx: RequestContext, personId: string, owners: string[]): Promise<Map<string, ShareFacts>> {
  if (owners.length === 0) return shareFactsFrom(undefined, personId, owners);
  // One round trip for every kind of fact (each a JSON list): the rule is re-checked in CASL at the
  // cost of one statement, not six (test/e2e/statement-count.e2e.spec.ts).
  const [row] = await tx.query(`SELECT ${shareFactsColumns({ person: '$1', owners: '$2', organisation: '$3', user: '$4' })}`, [
    personId,
    owners,
    ctx.organisationId,
    ctx.userId,
  ]);
  return shareFactsFrom(row, personId, owners);
}

/**
 * The facts as columns of a select list (`involvements`, `flows`, `consents`, `grants`, `links`,
 * `handovers`, each a JSON list), so a read can fetch them in the statement that reads the data
 * (libs/domain/src/clients/client.repository.ts, `dossier`). Each argument is an SQL expression: the
 * person (uuid), the owners (uuid[]), the caller's organisation and user.
 */
export function shareFactsColumns(sql: { person: string; owners: string; organisation: string; user: string }): string {
  const { person, owners, organisation, user } = sql;
  const list = (query: string) => `(SELECT coalesce(json_agg(x), '[]') FROM (${query}) x)`;
  return `${list(`SELECT organisation_id, purpose, valid_from::text AS valid_from, valid_until::text AS valid_until, ended_at IS NOT NULL AS ended,
                         recorded_by_organisation_id
                    FROM involvement WHERE person_id = ${person} AND organisation_id = ${organisation}`)} AS involvements,
          ${list(`SELECT f.from_organisation_id, f.to_organisation_id, f.categories, a.purposes, a.activated_at IS NOT NULL AS activated,
                         a.terminated_at IS NOT NULL AS terminated, a.valid_from::text AS valid_from, a.valid_until::text AS valid_until
                    FROM agreement_flow f JOIN agreement a ON a.id = f.agreement_id
                   WHERE f.from_organisation_id = ANY (${owners}) AND f.to_organisation_id = ${organisation}`)} AS flows,
          ${list(`SELECT organisation_id, recipient_organisation_ids, purposes, categories, legal_basis, valid_from::text AS valid_from,
                         valid_until::text AS valid_until, revoked
                    FROM casework_consents_naming_me(${person}, ${owners})`)} AS consents,
          ${list(`SELECT owner_organisation_id, organisation_id, user_id, categories, granted_at, expires_at
                    FROM break_glass WHERE person_id = ${person} AND owner_organisation_id = ANY (${owners}) AND organisation_id = ${organisation}
                     AND user_id = ${user}`)} AS grants,
          ${list(`SELECT pa.organisation_id AS owner, a.activated_at IS NOT NULL AS activated, a.terminated_at IS NOT NULL AS terminated,
                         a.valid_from::text AS valid_from, a.valid_until::text AS valid_until
                    FROM agreement a
                    JOIN agreement_party pa ON pa.agreement_id = a.id AND pa.organisation_id = ANY (${owners})
                    JOIN agreement_party pb ON pb.agreement_id = a.id AND pb.organisation_id = ${organisation}`)} AS links,
          /* the owner's handovers to the caller's organisation about the person (drafts are the sender's alone) */
          ${list(`SELECT from_organisation_id, to_organisation_id, CASE kind WHEN 'ADVICE_REQUEST' THEN 'ADVICE' ELSE 'MEDIATION' END AS purpose, status,
                          /* a NOT_YET_READY signal opens the person's identity at most (casework_access_grounds) */
                          CASE kind WHEN 'NOT_YET_READY' THEN ARRAY(SELECT k FROM unnest(categories) k WHERE k = 'IDENTITY') ELSE categories END AS categories
                    FROM referral WHERE person_id = ${person} AND from_organisation_id = ANY (${owners}) AND to_organisation_id = ${organisation}
                     AND status <> 'DRAFT'`)} AS handovers`;
}

/** The facts per owner from the columns of `shareFactsColumns` (none yet for a row not read). */
export function shareFactsFrom(row: Record<string, unknown> | undefined, personId: string, owners: string[]): Map<string, ShareFacts> {
  const facts = new Map<string, ShareFacts>(
    owners.map((owner) => [
      owner,
      { organisationId: owner, personId, involvements: [], agreementFlows: [], consents: [], breakGlass: [], agreementLinks: [], handovers: [] },
    ]),
  );
  if (!row || owners.length === 0) return facts;
  const { involvements, flows, consents, grants, links, handovers } = row as Record<string, any[]>;
  for (const h of handovers) {
    facts
      .get(h.from_organisation_id)
      ?.handovers.push({ toOrganisationId: h.to_organisation_id, purpose: h.purpose, status: h.status, categories: h.categories });
  }
  for (const g of grants) {
    facts.get(g.owner_organisation_id)?.breakGlass.push({
      organisationId: g.organisation_id,
      userId: g.user_id,
      categories: g.categories,
      grantedAt: new Date(g.granted_at).toISOString(),
      expiresAt: new Date(g.expires_at).toISOString(),
    });
  }
  for (const l of links) {
    facts.get(l.owner)?.agreementLinks.push({ activated: l.activated, terminated: l.terminated, validFrom: l.valid_from, validUntil: l.valid_until });
  }
  for (const entry of facts.values()) {
    entry.involvements = involvements.map((i) => ({
      organisationId: i.organisation_id,
      purpose: i.purpose,
      validFrom: i.valid_from,
      validUntil: day(i.valid_until),
      ended: i.ended,
      recordedByOwner: i.recorded_by_organisation_id === entry.organisationId,
    }));
  }
  for (const f of flows) {
    facts.get(f.from_organisation_id)?.agreementFlows.push({
      toOrganisationId: f.to_organisation_id,
      categories: f.categories,
      purposes: f.purposes,
      activated: f.activated,
      terminated: f.terminated,
      validFrom: f.valid_from,
      validUntil: f.valid_until,
    });
  }
  for (const c of consents) {
    facts.get(c.organisation_id)?.consents.push({
      recipientOrganisationIds: c.recipient_organisation_ids,
      purposes: c.purposes,
      categories: c.categories,
      legalBasis: c.legal_basis,
      validFrom: c.valid_from,
      validUntil: day(c.valid_until),
      revoked: c.revoked,
    });
  }
  return facts;
}

/** The per-record decision: may the caller read this category of this owner's file? */
export function mayReadSection(ctx: RequestContext, facts: ShareFacts, category: DataCategory): boolean {
  return ctx.ability.can('read', subject('ClientSection', { ...facts, category }));
}
