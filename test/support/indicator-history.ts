import { PasswordHasher } from '@app/auth';
import { inszFor } from '@app/kernel';
import { kboFromBase } from '@app/domain';
import type { DataSource } from 'typeorm';
import { DEMO_PASSWORD } from '../../apps/api/src/seed/demo-partnership.js';

/**
 * A known history for the indicator tests, written straight into the tables (as the owner), with its
 * own region so the demo's records do not mix in: "Testregio" groups two municipalities, each with an
 * OCMW, and a regional VDAB office without a municipality.
 */
export interface IndicatorWorld {
  region: string;
  teststad: string;
  testdorp: string;
  vdab: string;
  /** sign-in e-mails */
  analyst: string;
  teamLead: string;
  worker: string;
}

type Query = (sql: string, params?: unknown[]) => Promise<any[]>;

export class IndicatorHistory {
  private serial = 0;
  private readonly senders = new Map<string, string>();

  private constructor(
    private readonly query: Query,
    readonly world: IndicatorWorld,
  ) {}

  static async create(dataSource: DataSource, tag: string, kboBase: number): Promise<IndicatorHistory> {
    const query: Query = (sql, params) => dataSource.query(sql, params);
    const org = async (name: string, kind: string, kbo: number, nis: string | null) =>
      (
        await query(`INSERT INTO organisation (name, kind, kbo_number, nis_code) VALUES ($1, $2, $3, $4) RETURNING id`, [
          name,
          kind,
          kboFromBase(String(kbo).padStart(8, '0')),
          nis,
        ])
      )[0].id as string;
    const teststad = await org(`OCMW Teststad ${tag}`, 'OCMW', kboBase, null);
    const testdorp = await org(`OCMW Testdorp ${tag}`, 'OCMW', kboBase + 1, null);
    const vdab = await org(`VDAB Testregio ${tag}`, 'VDAB', kboBase + 2, null);
    // NIS codes unique per world: 4xxxx, not the demo's
    const nis = (k: number) => String(40000 + ((kboBase * 2 + k) % 9999)).padStart(5, '0');
    await query(`UPDATE organisation SET nis_code = $2 WHERE id = $1`, [teststad, nis(0)]);
    await query(`UPDATE organisation SET nis_code = $2 WHERE id = $1`, [testdorp, nis(1)]);
    const [{ id: region }] = await query(`INSERT INTO region (name) VALUES ($1) RETURNING id`, [`Testregio ${tag}`]);
    await query(`INSERT INTO region_municipality (nis_code, region_id) VALUES ($1, $3), ($2, $3)`, [nis(0), nis(1), region]);
    await query(`INSERT INTO region_organisation (organisation_id, region_id) VALUES ($1, $2)`, [vdab, region]);
    const hash = await new PasswordHasher().hash(DEMO_PASSWORD);
    const user = async (organisation: string, email: string, role: string) => {
      const [{ id }] = await query(`INSERT INTO app_user (organisation_id, email, display_name, password_hash) VALUES ($1, $2, $3, $4) RETURNING id`, [
        organisation,
        email,
        email.split('@')[0],
        hash,
      ]);
      await query(`INSERT INTO user_role (user_id, role) VALUES ($1, $2)`, [id, role]);
      return id as string;
    };
    const world: IndicatorWorld = {
      region,
      teststad,
      testdorp,
      vdab,
      analyst: `analyst.${tag}@teststad.test`,
      teamLead: `lead.${tag}@vdab-testregio.test`,
      worker: `worker.${tag}@teststad.test`,
    };
    await user(teststad, world.analyst, 'ANALYST');
    await user(vdab, world.teamLead, 'TEAM_LEAD');
    const history = new IndicatorHistory(query, world);
    history.senders.set(teststad, await user(teststad, world.worker, 'SOCIAL_WORKER'));
    history.senders.set(testdorp, await user(testdorp, `worker.${tag}@testdorp.test`, 'SOCIAL_WORKER'));
    history.senders.set(vdab, await user(vdab, `mediator.${tag}@vdab-testregio.test`, 'MEDIATOR'));
    return history;
  }

  /** A new person with a file at the organisation. */
  async person(organisation: string): Promise<string> {
    this.serial += 1;
    const insz = inszFor(`1980-01-${String(1 + (this.serial % 28)).padStart(2, '0')}`, 100 + Math.floor(this.serial / 28));
    const [{ id }] = await this.query(`INSERT INTO person (insz) VALUES ($1) ON CONFLICT (insz) DO UPDATE SET insz = EXCLUDED.insz RETURNING id`, [insz]);
    await this.query(`INSERT INTO client_file (organisation_id, person_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [organisation, id]);
    return id;
  }

  /**
   * A warm handover sent at `sent` (Brussels local time), answered or ended `days` later; due 14 days
   * after sending unless `due` says otherwise.
   */
  async handover(
    from: string,
    to: string,
    person: string,
    sent: string,
    status: string,
    days: number | null,
    extra: { reason?: string; due?: string; trajectory?: string; kind?: string; review?: string } = {},
  ): Promise<string> {
    const [{ id }] = await this.query(
      `INSERT INTO referral (kind, person_id, from_organisation_id, to_organisation_id, sender_user_id, status, sent_at, due_date, settled_at,
                             decline_reason_code, trajectory_id, review_date)
       VALUES ($10, $1, $2, $3, $4, $5, $6::timestamp AT TIME ZONE 'Europe/Brussels', COALESCE($7::date, ($6::timestamp + interval '14 days')::date),
               CASE WHEN $8::int IS NULL THEN NULL ELSE ($6::timestamp + make_interval(days => $8::int)) AT TIME ZONE 'Europe/Brussels' END,
               $9, $11, $12::date)
       RETURNING id`,
      [
        person,
        from,
        to,
        this.senders.get(from),
        status,
        sent,
        extra.due ?? null,
        days,
        extra.reason ?? null,
        extra.kind ?? 'WARM_HANDOVER',
        extra.trajectory ?? null,
        extra.review ?? null,
      ],
    );
    return id;
  }

  async trajectory(
    director: string,
    person: string,
    type: string,
    started: string,
    closed: { at: string; status: string; outcome: string } | null = null,
  ): Promise<string> {
    const [{ id }] = await this.query(
      `INSERT INTO trajectory (person_id, director_organisation_id, type, status, outcome, started_at, closed_at)
       VALUES ($1, $2, $3, $4, $5, $6::timestamp AT TIME ZONE 'Europe/Brussels', $7::timestamp AT TIME ZONE 'Europe/Brussels') RETURNING id`,
      [person, director, type, closed?.status ?? 'ACTIVE', closed?.outcome ?? null, started, closed?.at ?? null],
    );
    return id;
  }

  async checkpoint(trajectory: string, months: number, due: string, working: boolean | null): Promise<void> {
    await this.query(
      `INSERT INTO trajectory_checkpoint (trajectory_id, months, due_on, working, recorded_at)
       VALUES ($1, $2, $3::date, $4, CASE WHEN $4::boolean IS NULL THEN NULL ELSE $3::date + 1 END)`,
      [trajectory, months, due, working],
    );
  }

  async obstacle(trajectory: string, organisation: string, kind: string, created: string, addressed: boolean): Promise<void> {
    await this.query(
      `INSERT INTO trajectory_obstacle (trajectory_id, organisation_id, kind, status, created_at)
       VALUES ($1, $2, $3, $4, $5::timestamp AT TIME ZONE 'Europe/Brussels')`,
      [trajectory, organisation, kind, addressed ? 'ADDRESSED' : 'OPEN', created],
    );
  }

  /**
   * A busy month for the dashboard (`month`: its first day): Teststad sends VDAB 18 warm handovers (10
   * accepted, 4 declined, 2 withdrawn, 1 expired, 1 open) and Testdorp 7 (5 accepted, 2 declined);
   * Teststad starts a trajectory for each of its accepted ones and records obstacles on them; 12 of its
   * trajectories started six months earlier reach their 6-month checkpoint (7 working, 3 not, 2 not
   * recorded); it signals NOT_YET_READY for 6 persons and lifts 3.
   */
  async busyMonth(month: string): Promise<void> {
    const { teststad, testdorp, vdab } = this.world;
    const day = (d: number, hour = 10) => `${month.slice(0, 8)}${String(d).padStart(2, '0')} ${String(hour).padStart(2, '0')}:00`;
    const outcomes = [...Array(10).fill('ACCEPTED'), 'DECLINED', 'DECLINED', 'DECLINED', 'DECLINED', 'WITHDRAWN', 'WITHDRAWN', 'EXPIRED', 'SENT'];
    const reasons = ['NO_CAPACITY', 'NOT_IN_SCOPE', 'NO_CAPACITY', 'CLIENT_NOT_REACHABLE'];
    let obstacle = 0;
    for (const [i, status] of outcomes.entries()) {
      const person = await this.person(teststad);
      const sent = day(2 + (i % 20));
      if (status === 'ACCEPTED') {
        const started = day(Math.min(28, 5 + (i % 20) + (i % 5)));
        const trajectory = await this.trajectory(teststad, person, 'MEDIATION', started);
        await this.handover(teststad, vdab, person, sent, 'ACCEPTED', 1 + (i % 6), { trajectory });
        for (const kind of i < 3 ? ['MOBILITY', 'LANGUAGE'] : i < 6 ? ['LANGUAGE'] : i < 8 ? ['CHILDCARE'] : []) {
          await this.obstacle(trajectory, teststad, kind, day(27), obstacle++ % 3 === 0);
        }
      } else {
        await this.handover(teststad, vdab, person, sent, status, status === 'SENT' ? null : status === 'EXPIRED' ? 20 : 2 + (i % 4), {
          ...(status === 'DECLINED' ? { reason: reasons[i % 4] } : {}),
          ...(status === 'EXPIRED' ? { due: day(16).slice(0, 10) } : {}),
        });
      }
    }
    for (let i = 0; i < 7; i++)
      await this.handover(
        testdorp,
        vdab,
        await this.person(testdorp),
        day(3 + i),
        i < 5 ? 'ACCEPTED' : 'DECLINED',
        2 + (i % 3),
        i < 5 ? {} : { reason: 'NO_CAPACITY' },
      );
    const earlier = new Date(`${month}T00:00:00Z`);
    earlier.setUTCMonth(earlier.getUTCMonth() - 6);
    for (let i = 0; i < 12; i++) {
      const trajectory = await this.trajectory(
        teststad,
        await this.person(teststad),
        i < 10 ? 'MEDIATION' : 'ACTIVATION',
        `${earlier.toISOString().slice(0, 8)}${String(10 + i).padStart(2, '0')} 10:00`,
      );
      await this.checkpoint(trajectory, 6, day(10 + i).slice(0, 10), i < 7 ? true : i < 10 ? false : null);
    }
    for (let i = 0; i < 6; i++) {
      await this.handover(teststad, vdab, await this.person(teststad), day(4 + i), i < 3 ? 'WITHDRAWN' : 'SENT', i < 3 ? 7 + 5 * i : null, {
        kind: 'NOT_YET_READY',
        review: day(25).slice(0, 10),
      });
    }
  }
}
