import type { StaffCard } from '../users/user.js';
import { RequestTransaction, type DataCategory, type RequestContext, type Tx } from '@app/kernel';
import { Injectable } from '@nestjs/common';
import { ClientRepository } from '../clients/client.repository.js';
import { InvalidInput, NotFound } from '@app/kernel';

export interface CaseNote {
  id: string;
  clientId: string;
  organisationId: string;
  trajectoryId: string | null;
  authorUserId: string;
  /** the author's contact card */
  author: StaffCard | null;
  category: DataCategory;
  visibility: 'INTERNAL' | 'SHARED';
  body: string;
  createdAt: Date;
  /** whose file the note belongs to: the author's organisation (INTERNAL) or the trajectory's director (SHARED) */
  ownerOrganisationId: string;
}

export interface NewNote {
  category: DataCategory;
  visibility: 'INTERNAL' | 'SHARED';
  body: string;
  trajectoryId?: string;
}

/**
 * Who may see a note: its organisation; and, when SHARED, the trajectory's participants that may read
 * its category of the director's file (libs/access/sql, `casework_note_visible`; row-level security asks the same).
 */
const VISIBLE = `casework_note_visible(n.organisation_id, n.visibility, n.trajectory_id, n.person_id, n.category)`;

const COLUMNS = `n.id, n.person_id, n.organisation_id, n.trajectory_id, n.author_user_id, casework_staff_card(n.author_user_id) AS author, n.category, n.visibility, n.body, n.created_at,
  CASE WHEN n.visibility = 'SHARED' THEN casework_trajectory_director(n.trajectory_id) ELSE n.organisation_id END AS owner_organisation_id`;

/**
 * Case notes on a person or on a trajectory. INTERNAL stays with the author's organisation; SHARED
 * reaches the trajectory's participants, still subject to the category rule (a WELFARE note is never
 * shared without consent for that category). Written by the organisation keeping the file, or by a
 * participant on the trajectory.
 */
@Injectable()
export class NoteService {
  constructor(
    private readonly clients: ClientRepository,
    private readonly transaction: RequestTransaction,
  ) {}

  /** A note on a person in the caller's own file, or on a trajectory of that person it takes part in. */
  add(ctx: RequestContext, personId: string, input: NewNote): Promise<CaseNote> {
    return this.transaction.run(ctx, async (tx) => {
      if (input.trajectoryId) {
        if ((await this.trajectoryPerson(tx, input.trajectoryId)) !== personId) throw new NotFound('trajectory');
      } else {
        if (!(await this.clients.ownsFile(tx, personId))) throw new NotFound('client');
        if (input.visibility === 'SHARED') throw new InvalidInput([{ field: 'visibility', code: 'shared-needs-trajectory' }]);
      }
      return this.insert(tx, ctx, personId, input);
    });
  }

  /** A note on a trajectory the caller takes part in (the person is the trajectory's). */
  addToTrajectory(ctx: RequestContext, trajectoryId: string, input: NewNote): Promise<CaseNote> {
    return this.transaction.run(ctx, async (tx) => {
      const personId = await this.trajectoryPerson(tx, trajectoryId);
      if (!personId) throw new NotFound('trajectory');
      return this.insert(tx, ctx, personId, { ...input, trajectoryId });
    });
  }

  private async insert(tx: Tx, ctx: RequestContext, personId: string, input: NewNote): Promise<CaseNote> {
    const [row] = await tx.query(
      `INSERT INTO case_note (person_id, organisation_id, trajectory_id, author_user_id, category, visibility, body)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [personId, ctx.organisationId, input.trajectoryId ?? null, ctx.userId, input.category, input.visibility, input.body.trim()],
    );
    const [note] = await this.read(tx, `n.id = $1`, [row.id]);
    tx.audit({
      action: 'note.create',
      decision: 'ALLOW',
      resourceType: 'CaseNote',
      resourceId: row.id,
      subjectPersonId: personId,
      ownerOrganisationId: note.ownerOrganisationId,
      categories: [input.category],
    });
    return note;
  }

  /** The trajectory's person when the caller takes part in it; undefined otherwise. */
  private async trajectoryPerson(tx: Tx, trajectoryId: string): Promise<string | undefined> {
    const [row] = await tx.query(`SELECT casework_trajectory_person($1) AS person, casework_participates($1) AS participates`, [trajectoryId]);
    return row.participates ? row.person : undefined;
  }

  listForClient(ctx: RequestContext, personId: string): Promise<CaseNote[]> {
    return this.transaction.run(ctx, async (tx) => {
      const notes = await this.read(tx, `n.person_id = $1`, [personId]);
      if (notes.length === 0 && !(await this.clients.ownsFile(tx, personId))) throw new NotFound('client');
      this.audited(tx, ctx, personId, notes);
      return notes;
    });
  }

  listForTrajectory(ctx: RequestContext, trajectoryId: string): Promise<CaseNote[]> {
    return this.transaction.run(ctx, async (tx) => {
      const personId = await this.trajectoryPerson(tx, trajectoryId);
      if (!personId) throw new NotFound('trajectory');
      const notes = await this.read(tx, `n.trajectory_id = $1`, [trajectoryId]);
      this.audited(tx, ctx, personId, notes);
      return notes;
    });
  }

  /** One event per file the notes shown belong to. */
  private audited(tx: Tx, ctx: RequestContext, personId: string, notes: CaseNote[]): void {
    for (const owner of new Set(notes.map((n) => n.ownerOrganisationId))) {
      const categories = [...new Set(notes.filter((n) => n.ownerOrganisationId === owner).map((n) => n.category))];
      // a partner's note is read because it was shared on a trajectory both work on (the rule checked it)
      const ground = owner === ctx.organisationId ? { kind: 'OWNER' as const } : { kind: 'SHARED' as const };
      tx.audit({ action: 'note.read', decision: 'ALLOW', resourceType: 'CaseNote', subjectPersonId: personId, ownerOrganisationId: owner, categories, ground });
    }
  }

  private async read(tx: Tx, where: string, params: unknown[]): Promise<CaseNote[]> {
    const rows = await tx.query(`SELECT ${COLUMNS} FROM case_note n WHERE ${where} AND ${VISIBLE} ORDER BY n.created_at, n.id`, params);
    return rows.map((r) => ({
      id: r.id,
      clientId: r.person_id,
      organisationId: r.organisation_id,
      trajectoryId: r.trajectory_id,
      authorUserId: r.author_user_id,
      author: r.author,
      category: r.category,
      visibility: r.visibility,
      body: r.body,
      createdAt: r.created_at,
      ownerOrganisationId: r.owner_organisation_id,
    }));
  }
}
