import { type DataCategory, type RequestContext, type Tx } from '@app/kernel';
import { shareFactsColumns, shareFactsFrom, type ShareFacts } from '@app/access';
import { Injectable } from '@nestjs/common';
import type { ClientIdentity, SectionCategory, SectionContent } from './client.js';

export interface FileRow {
  id: string;
  organisationId: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  /** per category another organisation's file opens to the caller, the ids that allow it (empty for the caller's own file) */
  grounds: ShareGround[];
}

export interface ShareGround {
  category: DataCategory;
  involvementId: string | null;
  agreementId: string | null;
  consentId: string | null;
  /** set when only a break-the-glass grant opens the category */
  breakGlassId: string | null;
  /** set when an open handover of the owner to the caller opens the category (with its agreement and consent) */
  referralId: string | null;
}

export interface IdentityRow extends ClientIdentity {
  organisationId: string;
  personId: string;
}

export interface SectionRow {
  organisationId: string;
  category: SectionCategory;
  content: SectionContent;
}

export interface Dossier {
  files: FileRow[];
  identities: IdentityRow[];
  sections: SectionRow[];
  /** per partner file's owner, the facts the per-record sharing rule decides on */
  facts: Map<string, ShareFacts>;
}

/** The filter every read of client data carries in SQL, on top of row-level security. */
const FILE_VISIBLE = `casework_can_read_any(f.organisation_id, f.person_id)`;

/** The files on the person `$person` the caller may see something of, each with its grounds (the categories it opens, and why). */
const VISIBLE_FILES = (person: string) =>
  `SELECT f.id, f.organisation_id, f.version, f.created_at, f.updated_at,
          (SELECT coalesce(json_agg(json_build_object('category', g.category, 'involvementId', g.involvement_id,
                                                      'agreementId', g.agreement_id, 'consentId', g.consent_id,
                                                      'breakGlassId', g.break_glass_id, 'referralId', g.referral_id)), '[]')
             FROM casework_access_grounds(f.organisation_id, f.person_id) g) AS grounds
     FROM client_file f WHERE f.person_id = ${person} AND ${FILE_VISIBLE}`;

/** The identities of the persons `$persons` (uuid[]) the caller may read. */
const READABLE_IDENTITIES = (persons: string) =>
  `SELECT ci.organisation_id, ci.person_id, ci.insz, ci.first_name, ci.last_name, ci.birth_date::text AS birth_date
     FROM client_identity ci
    WHERE ci.person_id = ANY (${persons}) AND casework_can_read(ci.organisation_id, ci.person_id, 'IDENTITY')`;

/** The sections of the person `$person` the caller may read. */
const READABLE_SECTIONS = (person: string) =>
  `SELECT s.organisation_id, s.category, s.content FROM client_section s
    WHERE s.person_id = ${person} AND casework_can_read(s.organisation_id, s.person_id, s.category)`;

const fileRow = (r: Record<string, any>): FileRow => ({
  id: r.id,
  organisationId: r.organisation_id,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  grounds: r.grounds,
});

const identityRow = (r: Record<string, any>): IdentityRow => ({
  organisationId: r.organisation_id,
  personId: r.person_id,
  insz: r.insz,
  firstName: r.first_name,
  lastName: r.last_name,
  birthDate: r.birth_date,
});

const sectionRow = (r: Record<string, any>): SectionRow => ({ organisationId: r.organisation_id, category: r.category, content: r.content });

/**
 * How much a search word must resemble a word of the name to be a candidate typo (pg_trgm word
 * similarity, 0..1; the edit distance then decides, libs/access/sql/15-search.sql). Low enough for
 * "samria" (0.43 to Samira).
 */
export const NAME_SIMILARITY = 0.3;

/**
 * Client files. Every query here names the access rule in its WHERE clause (the SQL functions of the
 * sharing migration), and runs as `casework_app` under row-level security that applies the same rule,
 * so a query that forgot the predicate would still see only what the rule allows.
 */
@Injectable()
export class ClientRepository {
  /** The person's id for an INSZ, registering the person if new; the same answer whoever else knows them. */
  async personFor(tx: Tx, insz: string): Promise<string> {
    const [row] = await tx.query(`SELECT casework_register_person($1) AS id`, [insz]);
    return row.id;
  }

  /** Creates the caller's own file; false when it already has one. */
  async insertOwnFile(tx: Tx, ctx: RequestContext, personId: string): Promise<boolean> {
    const rows = await tx.query(
      `INSERT INTO client_file (organisation_id, person_id, created_by) VALUES ($1, $2, $3)
       ON CONFLICT ON CONSTRAINT client_file_organisation_person_key DO NOTHING RETURNING id`,
      [ctx.organisationId, personId, ctx.userId],
    );
    return rows.length > 0;
  }

  async insertIdentity(tx: Tx, ctx: RequestContext, personId: string, identity: ClientIdentity): Promise<void> {
    await tx.query(`INSERT INTO client_identity (organisation_id, person_id, insz, first_name, last_name, birth_date) VALUES ($1, $2, $3, $4, $5, $6)`, [
      ctx.organisationId,
      personId,
      identity.insz,
      identity.firstName,
      identity.lastName,
      identity.birthDate,
    ]);
  }

  async updateIdentity(tx: Tx, ctx: RequestContext, personId: string, changes: Partial<ClientIdentity>): Promise<void> {
    await tx.query(
      `UPDATE client_identity SET first_name = COALESCE($3, first_name), last_name = COALESCE($4, last_name),
              birth_date = COALESCE($5::date, birth_date)
        WHERE organisation_id = $1 AND person_id = $2`,
      [ctx.organisationId, personId, changes.firstName ?? null, changes.lastName ?? null, changes.birthDate ?? null],
    );
  }

  async putSection(tx: Tx, ctx: RequestContext, personId: string, category: SectionCategory, content: SectionContent): Promise<void> {
    await tx.query(
      `INSERT INTO client_section (organisation_id, person_id, category, content, updated_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (organisation_id, person_id, category) DO UPDATE SET content = EXCLUDED.content, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [ctx.organisationId, personId, category, JSON.stringify(content), ctx.userId],
    );
  }

  async deleteSection(tx: Tx, ctx: RequestContext, personId: string, category: SectionCategory): Promise<void> {
    await tx.query(`DELETE FROM client_section WHERE organisation_id = $1 AND person_id = $2 AND category = $3`, [ctx.organisationId, personId, category]);
  }

  /** Version-guarded bump of the caller's own file; false when someone else changed it first. */
  async bumpVersion(tx: Tx, ctx: RequestContext, personId: string, version: number): Promise<{ version: number; updatedAt: Date } | undefined> {
    const [row] = await tx.query(
      `UPDATE client_file SET version = version + 1, updated_at = now()
        WHERE organisation_id = $1 AND person_id = $2 AND version = $3 RETURNING version, updated_at`,
      [ctx.organisationId, personId, version],
    );
    return row && { version: row.version, updatedAt: row.updated_at };
  }

  /** The files on a person the caller may see something of, with the categories it may read in each. */
  async visibleFiles(tx: Tx, personId: string, lockOwn?: RequestContext): Promise<FileRow[]> {
    const rows = await tx.query(`${VISIBLE_FILES('$1')} ORDER BY f.organisation_id`, [personId]);
    if (lockOwn) {
      await tx.query(`SELECT 1 FROM client_file WHERE organisation_id = $1 AND person_id = $2 FOR UPDATE`, [lockOwn.organisationId, personId]);
    }
    return rows.map(fileRow);
  }

  async readableIdentities(tx: Tx, personIds: string[]): Promise<IdentityRow[]> {
    const rows = await tx.query(`${READABLE_IDENTITIES('$1')} ORDER BY ci.person_id, ci.organisation_id`, [personIds]);
    return rows.map(identityRow);
  }

  async readableSections(tx: Tx, personId: string): Promise<SectionRow[]> {
    const rows = await tx.query(`${READABLE_SECTIONS('$1')} ORDER BY s.organisation_id, s.category`, [personId]);
    return rows.map(sectionRow);
  }

  /**
   * A dossier read in one statement: the files on the person the caller may see something of (with
   * their grounds), the identities and sections the rule lets it read (`casework_view`, the rule asked
   * once per file), and, for the partners' files, the facts the per-record CASL rule decides on
   * (`shareFactsColumns`), so that cross-check reads the same snapshot and costs no statement of its own
   * (test/e2e/statement-count.e2e.spec.ts).
   */
  async dossier(tx: Tx, ctx: RequestContext, personId: string): Promise<Dossier> {
    // casework_view (libs/access/sql/20-rule.sql) asks the rule once per file, not once per row
    const partners = `ARRAY(SELECT (f->>'organisation_id')::uuid FROM json_array_elements((SELECT d FROM dossier)->'files') f
                             WHERE (f->>'organisation_id')::uuid <> $2)`;
    const [row] = await tx.query<any>(
      `WITH dossier AS (SELECT casework_view(ARRAY[$1::uuid], true) AS d)
       SELECT d->'files' AS files, d->'identities' AS identities, d->'sections' AS sections,
              ${shareFactsColumns({ person: '$1', owners: partners, organisation: '$2', user: '$3' })}
         FROM dossier`,
      [personId, ctx.organisationId, ctx.userId],
    );
    const files: FileRow[] = row.files.map((f: Record<string, any>) =>
      fileRow({ ...f, created_at: new Date(f.created_at), updated_at: new Date(f.updated_at) }),
    );
    return {
      files,
      identities: row.identities.map(identityRow),
      sections: row.sections.map(sectionRow),
      facts: shareFactsFrom(
        row,
        personId,
        files.filter((f) => f.organisationId !== ctx.organisationId).map((f) => f.organisationId),
      ),
    };
  }

  /**
   * One page of the persons the caller may see, in person-id order (keyset). Two walks merged: the
   * caller's own files (an index range), and the persons its organisation is actively involved with
   * for the request's purpose whose partner files the rule opens (`casework_partner_persons`). A
   * search is an INSZ, or words of the name in any order, each a part of a name word or a word that
   * resembles it (accents, case and small typos ignored; libs/access/sql/15-search.sql), and only
   * matches identities the caller may read.
   */
  async page(tx: Tx, ctx: RequestContext, query: { afterId?: string; limit: number; insz?: string; name?: string }): Promise<string[]> {
    if (query.name !== undefined) await tx.query(`SELECT set_config('pg_trgm.word_similarity_threshold', $1, true)`, [String(NAME_SIMILARITY)]);
    const params: unknown[] = [query.afterId ?? '00000000-0000-0000-0000-000000000000', query.limit, query.insz ?? null, query.name ?? null];
    let own: string;
    if (query.name !== undefined) {
      // Not a query on client_identity here: under its policy no index can serve the name (casework_own_persons_named).
      own = `SELECT p.person_id FROM casework_own_persons_named($1::uuid, $2::int, casework_search_terms($4)) AS p(person_id)`;
    } else {
      params.push(ctx.organisationId);
      const range =
        query.insz !== undefined
          ? `SELECT ci.person_id FROM client_identity ci WHERE ci.organisation_id = $5 AND ci.person_id > $1 AND ci.insz = $3`
          : `SELECT f.person_id FROM client_file f WHERE f.organisation_id = $5 AND f.person_id > $1`;
      own = `${range} AND casework_is_caseworker() ORDER BY 1 LIMIT $2`;
    }
    const rows = await tx.query(
      `SELECT DISTINCT person_id FROM (
         (${own})
         UNION ALL
         (SELECT p.person_id FROM casework_partner_persons($1::uuid, $2::int, $3::text, $4::text) AS p(person_id))
       ) hits ORDER BY person_id LIMIT $2`,
      params,
    );
    return rows.map((r) => r.person_id);
  }

  /** A privacy officer's lookup in her organisation's files, by INSZ or name: identities only (casework_officer_persons). */
  async officerLookup(
    tx: Tx,
    query: { afterId?: string; limit: number; insz?: string; name?: string },
  ): Promise<Array<{ personId: string; firstName: string; lastName: string; birthDate: string }>> {
    if (query.name !== undefined) await tx.query(`SELECT set_config('pg_trgm.word_similarity_threshold', $1, true)`, [String(NAME_SIMILARITY)]);
    const rows = await tx.query(
      `SELECT person_id, first_name, last_name, birth_date::text FROM casework_officer_persons($1::uuid, $2::int, $3::text, casework_search_terms($4))`,
      [query.afterId ?? '00000000-0000-0000-0000-000000000000', query.limit, query.insz ?? null, query.name ?? ''],
    );
    return rows.map((r) => ({ personId: r.person_id, firstName: r.first_name, lastName: r.last_name, birthDate: r.birth_date }));
  }

  /** For persons seen through partner files: each visible partner file's grounds (to audit what a list exposed). */
  async partnerGrounds(tx: Tx, ctx: RequestContext, personIds: string[]): Promise<Array<ShareGround & { personId: string; organisationId: string }>> {
    if (personIds.length === 0) return [];
    const rows = await tx.query(
      `SELECT f.person_id, f.organisation_id, g.category, g.involvement_id, g.agreement_id, g.consent_id, g.break_glass_id, g.referral_id
         FROM client_file f CROSS JOIN LATERAL casework_access_grounds(f.organisation_id, f.person_id) g
        WHERE f.person_id = ANY ($1) AND f.organisation_id <> $2
        ORDER BY f.person_id, f.organisation_id, g.category`,
      [personIds, ctx.organisationId],
    );
    return rows.map((r) => ({
      personId: r.person_id,
      organisationId: r.organisation_id,
      category: r.category,
      involvementId: r.involvement_id,
      agreementId: r.agreement_id,
      consentId: r.consent_id,
      breakGlassId: r.break_glass_id,
      referralId: r.referral_id,
    }));
  }

  /**
   * What a list shows of the persons on a page, in one statement with the rule asked once per file
   * (`casework_view`): the identities the caller may read, which persons have a file of the caller's
   * own, and per partner file the grounds that open it.
   */
  async listView(
    tx: Tx,
    ctx: RequestContext,
    personIds: string[],
  ): Promise<{ identities: IdentityRow[]; own: Set<string>; partnerGrounds: Array<ShareGround & { personId: string; organisationId: string }> }> {
    const [{ v }] = await tx.query<any>(`SELECT casework_view($1::uuid[], false) AS v`, [personIds]);
    const files = v.files as Array<{ person_id: string; organisation_id: string; grounds: ShareGround[] }>;
    return {
      identities: v.identities.map(identityRow),
      own: new Set(files.filter((f) => f.organisation_id === ctx.organisationId).map((f) => f.person_id)),
      partnerGrounds: files
        .filter((f) => f.organisation_id !== ctx.organisationId)
        .flatMap((f) =>
          [...f.grounds].sort((a, b) => a.category.localeCompare(b.category)).map((g) => ({ ...g, personId: f.person_id, organisationId: f.organisation_id })),
        ),
    };
  }

  /** Whether the caller's organisation keeps a file on the person (no role needed: consents, involvements). */
  async ownsFile(tx: Tx, personId: string): Promise<boolean> {
    const [row] = await tx.query(`SELECT casework_owns_file($1) AS owns`, [personId]);
    return row.owns;
  }
}
