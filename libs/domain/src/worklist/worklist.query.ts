import { RequestTransaction, type RequestContext } from '@app/kernel';
import { Injectable } from '@nestjs/common';
import { PURPOSE_OF } from '../referrals/referral.repository.js';
import type { ReferralKind } from '../referrals/referral-state.js';

/** What falls due for someone, soonest first. */
export const WORKLIST_ITEM_KINDS = [
  'referral.answer', // a referral to my organisation waits for an answer: assigned to me, or to nobody yet
  'referral.question', // the receiver of my referral asked a question
  'signal.review', // my NOT_YET_READY signal comes to its review date
  'intake', // a confirmed three-way intake I take part in
  'checkpoint', // a 6/12/18/24-month checkpoint of a trajectory I am responsible for, not yet recorded by my organisation
  'agreement.ending', // an agreement of my organisation ends (organisation admins)
] as const;
export type WorklistItemKind = (typeof WORKLIST_ITEM_KINDS)[number];

export interface WorklistItem {
  kind: WorklistItemKind;
  dueOn: string;
  overdue: boolean;
  clientId: string | null;
  /** `Last, First` from the caller's own file on the person; null when it keeps none */
  clientName: string | null;
  referralId: string | null;
  trajectoryId: string | null;
  agreementId: string | null;
}

export interface CaseloadEntry {
  clientId: string;
  clientName: string | null;
  /** open trajectories the user is responsible for, open referrals assigned to or sent by the user */
  openTrajectories: number;
  openReferrals: number;
}

export interface Worklist {
  caseload: CaseloadEntry[];
  /** all of the user's caseload, when it is longer than the list shows */
  caseloadTotal: number;
  due: WorklistItem[];
}

/** How far ahead the worklist looks, and how much of it one answer carries. */
export const WORKLIST_HORIZON_DAYS = 90;
export const WORKLIST_MAX_ITEMS = 200;
export const CASELOAD_MAX = 200;

/**
 * A user's worklist, a read model over referrals, trajectories, checkpoints and agreements. It runs as
 * the request's role, so row-level security decides what it may see, and it names clients only from
 * the caller's own files (each person named is audited as a list access, like every client list).
 */
@Injectable()
export class WorklistQuery {
  constructor(private readonly transaction: RequestTransaction) {}

  get(ctx: RequestContext): Promise<Worklist> {
    return this.transaction.run(ctx, async (tx) => {
      const admin = ctx.roles.includes('ORG_ADMIN');
      const due: Array<Record<string, any>> = await tx.query(
        `WITH items AS (
           SELECT 'referral.answer' AS kind, r.due_date AS due_on, r.person_id, r.id AS referral_id, NULL::uuid AS trajectory_id, NULL::uuid AS agreement_id,
                  r.from_organisation_id AS owner_id, r.kind AS referral_kind
             FROM referral r
            WHERE r.to_organisation_id = $1 AND r.status = 'SENT' AND r.kind <> 'NOT_YET_READY' AND r.due_date IS NOT NULL
              AND (r.assignee_user_id = $2 OR r.assignee_user_id IS NULL)
           UNION ALL
           SELECT 'referral.question', r.due_date, r.person_id, r.id, NULL, NULL, r.from_organisation_id, r.kind
             FROM referral r WHERE r.from_organisation_id = $1 AND r.sender_user_id = $2 AND r.status = 'INFO_REQUESTED' AND r.due_date IS NOT NULL
           UNION ALL
           SELECT 'signal.review', r.review_date, r.person_id, r.id, NULL, NULL, r.from_organisation_id, r.kind
             FROM referral r WHERE r.from_organisation_id = $1 AND r.sender_user_id = $2 AND r.kind = 'NOT_YET_READY'
                                AND r.status NOT IN ('DRAFT', 'WITHDRAWN')
           UNION ALL
           SELECT 'intake', r.intake_date, r.person_id, r.id, NULL, NULL, r.from_organisation_id, r.kind
             FROM referral r WHERE (r.sender_user_id = $2 OR r.assignee_user_id = $2) AND r.intake_date >= app_today()
                                AND r.status IN ('SENT', 'INFO_REQUESTED', 'ACCEPTED', 'COMPLETED')
           UNION ALL
           SELECT 'checkpoint', c.due_on, t.person_id, NULL, t.id, NULL, t.director_organisation_id, NULL
             FROM trajectory_participant p
             JOIN trajectory t ON t.id = p.trajectory_id AND t.status IN ('ACTIVE', 'ON_HOLD', 'COMPLETED')
             JOIN trajectory_checkpoint c ON c.trajectory_id = t.id
            WHERE p.organisation_id = $1 AND p.responsible_user_id = $2
              AND NOT EXISTS (SELECT 1 FROM trajectory_checkpoint_observation o
                               WHERE o.trajectory_id = c.trajectory_id AND o.months = c.months AND o.organisation_id = $1)
           UNION ALL
           SELECT 'agreement.ending', a.valid_until, NULL, NULL, NULL, a.id, NULL, NULL
             FROM agreement a JOIN agreement_party ap ON ap.agreement_id = a.id AND ap.organisation_id = $1
            WHERE $3 AND a.activated_at IS NOT NULL AND a.terminated_at IS NULL AND a.valid_until >= app_today()
         )
         SELECT i.kind, i.due_on::text AS due_on, i.due_on < app_today() AS overdue, i.person_id, i.referral_id, i.trajectory_id, i.agreement_id,
                i.owner_id, i.referral_kind, ci.last_name || ', ' || ci.first_name AS client_name
           FROM items i LEFT JOIN client_identity ci ON ci.organisation_id = $1 AND ci.person_id = i.person_id
          WHERE i.due_on <= app_today() + $4::int
          ORDER BY i.due_on, i.kind, i.person_id, coalesce(i.referral_id, i.trajectory_id, i.agreement_id)
          LIMIT ${WORKLIST_MAX_ITEMS}`,
        [ctx.organisationId, ctx.userId, admin, WORKLIST_HORIZON_DAYS],
      );
      const caseload: Array<Record<string, any>> = await tx.query(
        `WITH mine AS (
           SELECT t.person_id, 1 AS trajectories, 0 AS referrals, t.director_organisation_id AS owner_id, t.id AS trajectory_id, NULL::uuid AS referral_id,
                  NULL AS referral_kind
             FROM trajectory_participant p JOIN trajectory t ON t.id = p.trajectory_id AND t.status IN ('PLANNED', 'ACTIVE', 'ON_HOLD')
            WHERE p.organisation_id = $1 AND p.responsible_user_id = $2
           UNION ALL
           SELECT r.person_id, 0, 1, r.from_organisation_id, NULL, r.id, r.kind FROM referral r
            WHERE (r.assignee_user_id = $2 AND r.to_organisation_id = $1 OR r.sender_user_id = $2 AND r.from_organisation_id = $1)
              AND r.status IN ('SENT', 'INFO_REQUESTED', 'ACKNOWLEDGED', 'ACCEPTED')
         ), persons AS (
           SELECT person_id, sum(trajectories)::int AS trajectories, sum(referrals)::int AS referrals,
                  -- the partners' records this line shows (audited below): a trajectory another organisation directs, a handover to us
                  coalesce(json_agg(json_build_object('owner', owner_id, 'trajectory', trajectory_id, 'referral', referral_id, 'kind', referral_kind))
                             FILTER (WHERE owner_id <> $1), '[]') AS partner_records
             FROM mine GROUP BY person_id
         )
         SELECT p.person_id, p.trajectories, p.referrals, p.partner_records, ci.last_name || ', ' || ci.first_name AS client_name, count(*) OVER ()::int AS total
           FROM persons p LEFT JOIN client_identity ci ON ci.organisation_id = $1 AND ci.person_id = p.person_id
          ORDER BY ci.last_name NULLS LAST, ci.first_name, p.person_id
          LIMIT ${CASELOAD_MAX}`,
        [ctx.organisationId, ctx.userId],
      );
      // What the worklist shows of a partner's records (a handover to us, a trajectory another
      // organisation directs) is an access to the partner's data, on its record as the inbox lists are.
      const partnerRecords: Array<{ person: string; owner: string; referral: string | null; trajectory: string | null; kind: ReferralKind | null }> = [
        ...due
          .filter((r) => r.owner_id && r.owner_id !== ctx.organisationId)
          .map((r) => ({ person: r.person_id, owner: r.owner_id, referral: r.referral_id, trajectory: r.trajectory_id, kind: r.referral_kind })),
        ...caseload.flatMap((r) =>
          (r.partner_records as Array<Record<string, any>>).map((p) => ({
            person: r.person_id,
            owner: p.owner,
            referral: p.referral,
            trajectory: p.trajectory,
            kind: p.kind,
          })),
        ),
      ];
      const seen = new Set<string>();
      for (const record of partnerRecords) {
        const key = `${record.trajectory ?? record.referral}`;
        if (seen.has(key)) continue;
        seen.add(key);
        tx.audit(
          record.referral !== null
            ? {
                action: 'referral.list',
                decision: 'ALLOW' as const,
                resourceType: 'Referral',
                resourceId: record.referral,
                subjectPersonId: record.person,
                ownerOrganisationId: record.owner,
                purpose: PURPOSE_OF[record.kind as ReferralKind],
                categories: [],
                ground: { kind: 'SHARED' as const, referralId: record.referral },
              }
            : {
                action: 'trajectory.list',
                decision: 'ALLOW' as const,
                resourceType: 'Trajectory',
                resourceId: record.trajectory ?? undefined,
                subjectPersonId: record.person,
                ownerOrganisationId: record.owner,
                categories: ['TRAJECTORY'],
                ground: { kind: 'SHARED' as const },
              },
        );
      }
      // each person the worklist names, once: an access to the caller's own file
      const named = new Set([...due, ...caseload].filter((r) => r.client_name !== null).map((r) => r.person_id as string));
      for (const personId of named) {
        tx.audit({
          action: 'client.list',
          decision: 'ALLOW',
          resourceType: 'Worklist',
          subjectPersonId: personId,
          ownerOrganisationId: ctx.organisationId,
          categories: ['IDENTITY'],
          ground: { kind: 'OWNER' },
        });
      }
      return {
        caseload: caseload.map((r) => ({ clientId: r.person_id, clientName: r.client_name, openTrajectories: r.trajectories, openReferrals: r.referrals })),
        caseloadTotal: caseload[0]?.total ?? 0,
        due: due.map((r) => ({
          kind: r.kind,
          dueOn: r.due_on,
          overdue: r.overdue,
          clientId: r.person_id,
          clientName: r.client_name,
          referralId: r.referral_id,
          trajectoryId: r.trajectory_id,
          agreementId: r.agreement_id,
        })),
      };
    });
  }
}
