import { ownPurposeOf, type DataCategory, type Purpose } from '@app/kernel';
import type { EntityManager } from 'typeorm';
import { inszFor } from '@app/domain';

/** Fictional clients of the demo OCMWs. Names, numbers and stories are invented. */
interface DemoClient {
  ocmw: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  serial: number;
  /** shared with VDAB Antwerpen: notice (no WELFARE) or explicit consent including WELFARE */
  sharedWithVdab?: 'notice' | 'consent-with-welfare';
}

export const DEMO_CLIENTS: DemoClient[] = [
  { ocmw: 'ocmw-ranst', firstName: 'Lena', lastName: 'Peeters', birthDate: '1991-03-14', serial: 902, sharedWithVdab: 'notice' },
  { ocmw: 'ocmw-ranst', firstName: 'Youssef', lastName: 'Benali', birthDate: '1987-11-02', serial: 913, sharedWithVdab: 'consent-with-welfare' },
  { ocmw: 'ocmw-ranst', firstName: 'Marieke', lastName: 'Van Damme', birthDate: '1979-06-21', serial: 924, sharedWithVdab: 'notice' },
  { ocmw: 'ocmw-ranst', firstName: 'Dries', lastName: 'Claes', birthDate: '2001-01-30', serial: 935 },
  { ocmw: 'ocmw-ranst', firstName: 'Amina', lastName: 'Diallo', birthDate: '1995-09-09', serial: 946, sharedWithVdab: 'notice' },
  { ocmw: 'ocmw-ranst', firstName: 'Kevin', lastName: 'Janssens', birthDate: '1983-12-17', serial: 957 },
  { ocmw: 'ocmw-ranst', firstName: 'Olena', lastName: 'Kovalenko', birthDate: '1990-04-05', serial: 968, sharedWithVdab: 'notice' },
  { ocmw: 'ocmw-ranst', firstName: 'Sofie', lastName: 'Maes', birthDate: '1998-07-28', serial: 979 },
  { ocmw: 'ocmw-schelle', firstName: 'Jens', lastName: 'Wuyts', birthDate: '1993-02-11', serial: 902, sharedWithVdab: 'notice' },
  { ocmw: 'ocmw-schelle', firstName: 'Fatima', lastName: 'El Idrissi', birthDate: '1986-10-23', serial: 913 },
  { ocmw: 'ocmw-schelle', firstName: 'Bram', lastName: 'Goossens', birthDate: '2003-05-19', serial: 924, sharedWithVdab: 'notice' },
  { ocmw: 'ocmw-schelle', firstName: 'Nathalie', lastName: 'Dubois', birthDate: '1975-08-03', serial: 935 },
  { ocmw: 'ocmw-zoersel', firstName: 'Tariq', lastName: 'Rahimi', birthDate: '1997-12-01', serial: 946, sharedWithVdab: 'notice' },
  { ocmw: 'ocmw-zoersel', firstName: 'Ilse', lastName: 'Verbruggen', birthDate: '1981-03-27', serial: 957 },
  { ocmw: 'ocmw-zoersel', firstName: 'Mohamed', lastName: 'Haddou', birthDate: '1989-06-15', serial: 968, sharedWithVdab: 'notice' },
  { ocmw: 'ocmw-zoersel', firstName: 'Elke', lastName: 'Vermeulen', birthDate: '1994-11-08', serial: 979 },
  { ocmw: 'ocmw-kalmthout', firstName: 'Arne', lastName: 'De Backer', birthDate: '1999-04-22', serial: 902 },
  { ocmw: 'ocmw-kalmthout', firstName: 'Grace', lastName: 'Mensah', birthDate: '1992-01-13', serial: 913, sharedWithVdab: 'notice' },
  { ocmw: 'ocmw-schilde', firstName: 'Pieter-Jan', lastName: 'Aerts', birthDate: '1985-09-30', serial: 924 },
  { ocmw: 'ocmw-schilde', firstName: 'Zeynep', lastName: 'Demir', birthDate: '2000-02-29', serial: 935, sharedWithVdab: 'notice' },
];

const MUNICIPALITY_OF: Record<string, [string, string]> = {
  'ocmw-ranst': ['Ranst', '2520'],
  'ocmw-schelle': ['Schelle', '2627'],
  'ocmw-zoersel': ['Zoersel', '2980'],
  'ocmw-kalmthout': ['Kalmthout', '2920'],
  'ocmw-schilde': ['Schilde', '2970'],
};

const ALL_PURPOSES: Purpose[] = ['ACTIVATION', 'MEDIATION', 'TWE', 'ADVICE'];
const TO_VDAB: DataCategory[] = ['IDENTITY', 'CONTACT', 'EMPLOYMENT', 'TRAJECTORY', 'OBSTACLES', 'WELFARE'];
const TO_OCMW: DataCategory[] = ['IDENTITY', 'EMPLOYMENT', 'TRAJECTORY'];
const NOTICE_CATEGORIES: DataCategory[] = ['IDENTITY', 'CONTACT', 'EMPLOYMENT', 'TRAJECTORY', 'OBSTACLES'];

/** Whether the demo clients are there (the first one's INSZ is known). */
export async function demoSharingSeeded(tx: EntityManager): Promise<boolean> {
  const first = DEMO_CLIENTS[0];
  return (await tx.query(`SELECT 1 FROM person WHERE insz = $1`, [inszFor(first.birthDate, first.serial)])).length > 0;
}

/**
 * Agreements, clients, consents and involvements of the demo partnership, written as the owner inside
 * the seed transaction:
 * - the 2020-2025 cooperation agreement between VDAB Antwerpen and the seven OCMWs, ended 2025-12-31;
 * - a renewed agreement per local government with VDAB Antwerpen, active from 2026-01-01;
 * - a 2020-2025 agreement between OCMW Schelle and ATB Antwerpen that was not renewed, so a Schelle
 *   client with consent and involvement for ATB is NOT visible to ATB: the effect of an ended agreement;
 * - 20 clients across five OCMWs, some with a notice or consent for VDAB Antwerpen and a VDAB involvement.
 */
export async function seedDemoSharing(tx: EntityManager, ids: Map<string, string>, userIds: Map<string, string>): Promise<void> {
  const vdab = ids.get('vdab-antwerpen')!;
  const ocmws = [...ids.keys()].filter((slug) => slug.startsWith('ocmw-'));
  const persons = new Map<string, { id: string; org: string; worker: string }>();
  const agreement = async (parties: string[], flows: Array<[string, string, DataCategory[]]>, from: string, until: string, reference: string) => {
    const [row] = await tx.query(
      `INSERT INTO agreement (purposes, valid_from, valid_until, document_reference, created_by_organisation_id, activated_at)
       VALUES ($1, $2, $3, $4, $5, $6::date) RETURNING id`,
      [ALL_PURPOSES, from, until, reference, parties[0], from],
    );
    await tx.query(`INSERT INTO agreement_party (agreement_id, organisation_id, confirmed_at) SELECT $1, unnest($2::uuid[]), $3::date`, [
      row.id,
      parties,
      from,
    ]);
    for (const [fromOrg, toOrg, categories] of flows) {
      await tx.query(`INSERT INTO agreement_flow VALUES ($1, $2, $3, $4)`, [row.id, fromOrg, toOrg, categories]);
    }
  };

  const ocmwIds = ocmws.map((slug) => ids.get(slug)!);
  await agreement(
    [vdab, ...ocmwIds],
    ocmwIds.flatMap((ocmw): Array<[string, string, DataCategory[]]> => [
      [ocmw, vdab, TO_VDAB],
      [vdab, ocmw, TO_OCMW],
    ]),
    '2020-01-01',
    '2025-12-31',
    'Samenwerkingsovereenkomst VDAB Antwerpen - lokale besturen 2020-2025',
  );
  for (const ocmw of ocmwIds) {
    await agreement(
      [ocmw, vdab],
      [
        [ocmw, vdab, TO_VDAB],
        [vdab, ocmw, TO_OCMW],
      ],
      '2026-01-01',
      '2031-12-31',
      'Verwerkersovereenkomst Mijn Loopbaan voor Partners 2026-2031',
    );
  }
  const atb = ids.get('atb-antwerpen')!;
  const schelle = ids.get('ocmw-schelle')!;
  await agreement(
    [schelle, atb],
    [[schelle, atb, NOTICE_CATEGORIES]],
    '2020-01-01',
    '2025-12-31',
    'Samenwerking trajectbegeleiding ATB - OCMW Schelle 2020-2025',
  );

  for (const client of DEMO_CLIENTS) {
    const org = ids.get(client.ocmw)!;
    const worker = userIds.get(`social.worker@${client.ocmw}.demo`) ?? userIds.get(`admin@${client.ocmw}.demo`)!;
    const insz = inszFor(client.birthDate, client.serial);
    const [person] = await tx.query(`INSERT INTO person (insz) VALUES ($1) RETURNING id`, [insz]);
    persons.set(client.lastName, { id: person.id, org, worker });
    await tx.query(`INSERT INTO client_file (organisation_id, person_id, created_by) VALUES ($1, $2, $3)`, [org, person.id, worker]);
    await tx.query(`INSERT INTO client_identity (organisation_id, person_id, insz, first_name, last_name, birth_date) VALUES ($1, $2, $3, $4, $5, $6)`, [
      org,
      person.id,
      insz,
      client.firstName,
      client.lastName,
      client.birthDate,
    ]);
    const sections: Array<[string, object]> = [
      [
        'CONTACT',
        {
          address: {
            street: 'Dorpsstraat',
            houseNumber: String(client.serial % 90),
            postalCode: MUNICIPALITY_OF[client.ocmw][1],
            municipality: MUNICIPALITY_OF[client.ocmw][0],
          },
          preferredLanguage: 'nl',
          notes: 'Prefers a call in the morning.',
        },
      ],
      [
        'EMPLOYMENT',
        {
          educationLevel: 'HIGHER_SECONDARY',
          workHistory: ['Production operator (2 years)'],
          competences: ['forklift'],
          jobTarget: { occupation: 'Magazijnmedewerker', bottleneckOccupation: true },
          notes: 'Motivated; wants day shifts.',
        },
      ],
      [
        'OBSTACLES',
        {
          mobility: 'No driving licence; bus connection to the industrial zone is poor',
          languageLevel: 'B1',
          childcare: 'Two children in primary school',
          notes: 'Mobility is the main obstacle.',
        },
      ],
      [
        'WELFARE',
        {
          incomeSituation: 'LEEFLOON',
          welfareNotes: 'Debt mediation running since spring.',
          healthNotes: 'Back complaints; no heavy lifting.',
          notes: 'Confidential: stays with the OCMW unless the client agrees.',
        },
      ],
    ];
    for (const [category, content] of sections) {
      await tx.query(`INSERT INTO client_section (organisation_id, person_id, category, content, updated_by) VALUES ($1, $2, $3, $4, $5)`, [
        org,
        person.id,
        category,
        JSON.stringify(content),
        worker,
      ]);
    }
    await tx.query(
      `INSERT INTO involvement (organisation_id, person_id, capacity, purpose, valid_from, source, recorded_by_organisation_id, recorded_by)
       VALUES ($1, $2, 'OWNER', $3, '2026-01-05', 'REGISTRATION', $1, $4)`,
      [org, person.id, ownPurposeOf('OCMW'), worker],
    );
    if (client.sharedWithVdab) {
      const withWelfare = client.sharedWithVdab === 'consent-with-welfare';
      await tx.query(
        `INSERT INTO consent (organisation_id, person_id, recipient_organisation_ids, purposes, categories, legal_basis, method, valid_from, evidence_reference, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, '2026-01-05', $8, $9)`,
        [
          org,
          person.id,
          [vdab],
          ['MEDIATION', 'ADVICE'],
          withWelfare ? [...NOTICE_CATEGORIES, 'WELFARE'] : NOTICE_CATEGORIES,
          withWelfare ? 'CONSENT' : 'PUBLIC_TASK_NOTICE',
          withWelfare ? 'SIGNED_FORM' : 'VERBAL',
          withWelfare ? 'Signed consent form in the OCMW file' : 'Client informed at intake',
          worker,
        ],
      );
      await tx.query(
        `INSERT INTO involvement (organisation_id, person_id, capacity, purpose, valid_from, source, recorded_by_organisation_id, recorded_by)
         VALUES ($1, $2, 'EXECUTOR', 'MEDIATION', '2026-01-05', 'MANUAL', $3, $4)`,
        [vdab, person.id, org, worker],
      );
    }
    if (client.ocmw === 'ocmw-schelle' && client.serial === 913) {
      // Consent and involvement for ATB exist, but their agreement ended on 2025-12-31: ATB sees nothing.
      await tx.query(
        `INSERT INTO consent (organisation_id, person_id, recipient_organisation_ids, purposes, categories, legal_basis, method, valid_from, recorded_by)
         VALUES ($1, $2, $3, '{ACTIVATION}', $4, 'PUBLIC_TASK_NOTICE', 'VERBAL', '2025-03-01', $5)`,
        [org, person.id, [atb], NOTICE_CATEGORIES, worker],
      );
      await tx.query(
        `INSERT INTO involvement (organisation_id, person_id, capacity, purpose, valid_from, source, recorded_by_organisation_id, recorded_by)
         VALUES ($1, $2, 'ADVISOR', 'ACTIVATION', '2025-03-01', 'MANUAL', $3, $4)`,
        [atb, person.id, org, worker],
      );
    }
  }
  await seedDemoReferrals(tx, vdab, persons, userIds);
}

/**
 * Referrals in every state, so a newcomer's first sign-in shows a lived-in inbox: VDAB Antwerpen's
 * mediators see new, overdue, questioned, accepted and declined handovers from the OCMWs.
 */
async function seedDemoReferrals(
  tx: EntityManager,
  vdab: string,
  persons: Map<string, { id: string; org: string; worker: string }>,
  userIds: Map<string, string>,
): Promise<void> {
  const mediator = userIds.get('mediator@vdab-antwerpen.demo') ?? null;
  const shared: DataCategory[] = ['IDENTITY', 'CONTACT', 'EMPLOYMENT', 'OBSTACLES'];
  const referral = async (
    lastName: string,
    kind: 'WARM_HANDOVER' | 'NOT_YET_READY' | 'ADVICE_REQUEST',
    status: string,
    sentDaysAgo: number | null,
    extra: { question?: string; answer?: string; decline?: [string, string]; reviewDate?: string; trajectoryId?: string; categories?: DataCategory[] } = {},
  ) => {
    const p = persons.get(lastName)!;
    await tx.query(
      `INSERT INTO referral (kind, person_id, from_organisation_id, to_organisation_id, sender_user_id, assignee_user_id, categories, note,
                             proposed_intake_dates, review_date, status, sent_at, due_date, question, answer, decline_reason_code, decline_reason,
                             trajectory_id, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
               CASE WHEN $12::int IS NULL THEN NULL ELSE now() - make_interval(days => $12::int) END,
               CASE WHEN $12::int IS NULL THEN NULL ELSE current_date - $12::int + 14 END,
               $13, $14, $15, $16, $17, 2)`,
      [
        kind,
        p.id,
        p.org,
        vdab,
        p.worker,
        status === 'SENT' ? null : mediator,
        extra.categories ?? (kind === 'NOT_YET_READY' ? [] : shared),
        kind === 'NOT_YET_READY' ? 'Welfare first: housing and debts are being sorted out' : 'Motivated; please plan a three-way intake',
        kind === 'WARM_HANDOVER' ? ['2026-12-02', '2026-12-04'] : [],
        extra.reviewDate ?? null,
        status,
        sentDaysAgo,
        extra.question ?? null,
        extra.answer ?? null,
        extra.decline?.[0] ?? null,
        extra.decline?.[1] ?? null,
        extra.trajectoryId ?? null,
      ],
    );
  };
  const trajectory = async (lastName: string, status: 'PLANNED' | 'ACTIVE') => {
    const p = persons.get(lastName)!;
    const [row] = await tx.query(
      `INSERT INTO trajectory (person_id, director_organisation_id, type, status, started_at, created_by)
       VALUES ($1, $2, 'MEDIATION', $3, CASE WHEN $3 = 'ACTIVE' THEN now() - interval '10 days' END, $4) RETURNING id`,
      [p.id, p.org, status, p.worker],
    );
    await tx.query(
      `INSERT INTO trajectory_participant (trajectory_id, organisation_id, capacity, responsible_user_id) VALUES ($1, $2, 'DIRECTOR', $3), ($1, $4, 'EXECUTOR', $5)`,
      [row.id, p.org, p.worker, vdab, mediator],
    );
    await tx.query(
      `INSERT INTO trajectory_history (trajectory_id, kind, to_value, reason, by_organisation) VALUES ($1, 'CREATED', 'MEDIATION', 'Warm handover accepted', $2)`,
      [row.id, vdab],
    );
    return row.id as string;
  };
  await referral('Peeters', 'WARM_HANDOVER', 'SENT', 2);
  await referral('Van Damme', 'WARM_HANDOVER', 'SENT', 20); // overdue
  await referral('Diallo', 'WARM_HANDOVER', 'INFO_REQUESTED', 5, { question: 'Is there a driving licence in progress?' });
  await referral('Kovalenko', 'WARM_HANDOVER', 'ACCEPTED', 12, { trajectoryId: await trajectory('Kovalenko', 'PLANNED') });
  await referral('Wuyts', 'WARM_HANDOVER', 'COMPLETED', 30, { trajectoryId: await trajectory('Wuyts', 'ACTIVE') });
  await referral('Goossens', 'WARM_HANDOVER', 'DECLINED', 9, { decline: ['INSUFFICIENT_INFORMATION', 'Work history missing; please complete and send again'] });
  await referral('Rahimi', 'ADVICE_REQUEST', 'SENT', 1, { categories: ['IDENTITY', 'EMPLOYMENT'] });
  await referral('Haddou', 'WARM_HANDOVER', 'WITHDRAWN', 15);
  await referral('Mensah', 'WARM_HANDOVER', 'EXPIRED', 40);
  await referral('Demir', 'WARM_HANDOVER', 'DRAFT', null);
  await referral('Claes', 'NOT_YET_READY', 'SENT', 3, { reviewDate: '2027-03-31' });
}
