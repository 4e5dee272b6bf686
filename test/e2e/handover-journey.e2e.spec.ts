import { belgianToday } from '@app/kernel';
import { NotificationDispatcher, ReferralExpiry, addWorkingDays, inszFor } from '@app/domain';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The client journey of issue 4 over HTTP: OCMW Ranst hands a client over to VDAB Antwerpen. */
describe('warm handover journey', () => {
  let t: TestApp;
  const token: Record<string, string> = {};
  let ranst: string;
  let vdab: string;
  let serial = 700;

  const as = (who: string, purpose?: string) => ({
    get: (url: string) => {
      const r = t.http.get(url).set('Authorization', `Bearer ${token[who]}`).set('Accept-Language', 'en'); // the messages asserted are English
      return purpose ? r.set('X-Purpose', purpose) : r;
    },
    post: (url: string, body: object = {}) => t.http.post(url).set('Authorization', `Bearer ${token[who]}`).set('Accept-Language', 'en').send(body),
  });

  /** A new leefloon client of OCMW Ranst with a notice for VDAB Antwerpen (MEDIATION). */
  const newClient = async (lastName: string) => {
    const birthDate = '1990-04-12';
    const created = await as('ranst').post('/clients', {
      insz: inszFor(birthDate, serial++),
      firstName: 'Journey',
      lastName,
      birthDate,
      contact: { phone: '+32 470 11 22 33', notes: 'Mornings' },
      employment: { jobTarget: { occupation: 'Heftruckchauffeur', bottleneckOccupation: true }, notes: 'Has a forklift certificate' },
      obstacles: { mobility: 'No car', notes: 'Bus only' },
      welfare: { incomeSituation: 'LEEFLOON', welfareNotes: 'Debt mediation', notes: 'CANARY-JOURNEY-WELFARE' },
    });
    expect(created.status).toBe(201);
    const consent = await as('ranst').post(`/clients/${created.body.id}/consents`, {
      recipientOrganisationIds: [vdab],
      purposes: ['MEDIATION'],
      // TRAJECTORY: a warm handover is refused without it (issue 13), the receiver works on the trajectory
      categories: ['IDENTITY', 'CONTACT', 'EMPLOYMENT', 'TRAJECTORY', 'OBSTACLES'],
      legalBasis: 'PUBLIC_TASK_NOTICE',
      method: 'VERBAL',
      validFrom: '2026-01-01',
    });
    expect(consent.status).toBe(201);
    return { id: created.body.id as string, consentId: consent.body.id as string };
  };
  /** The outbox is dispatched by a background job in the service; here the test runs it first. */
  const notificationsOf = async (who: string) => {
    await t.app.get(NotificationDispatcher).dispatch();
    return as(who).get('/notifications?limit=100');
  };
  const handover = (clientId: string, extra: object = {}) =>
    as('ranst').post('/handovers', {
      kind: 'WARM_HANDOVER',
      clientId,
      toOrganisationId: vdab,
      categories: ['IDENTITY', 'CONTACT', 'EMPLOYMENT', 'OBSTACLES'],
      note: 'Motivated, ready for mediation; please plan an intake with me present',
      proposedIntakeDates: ['2026-12-02', '2026-12-04'],
      send: true,
      ...extra,
    });

  beforeAll(async () => {
    t = await startTestApp();
    for (const [who, email] of Object.entries({
      ranst: 'social.worker@ocmw-ranst.demo',
      mediator: 'mediator@vdab-antwerpen.demo',
      mediator2: 'mediator2@vdab-antwerpen.demo',
      lead: 'team.lead@vdab-antwerpen.demo',
    })) {
      token[who] = (await t.signIn(email)).accessToken;
    }
    ranst = await t.organisationId('OCMW Ranst');
    vdab = await t.organisationId('VDAB Antwerpen');
  });
  afterAll(() => t.close());

  it('goes from registration to a MEDIATION trajectory directed by the OCMW, and stops at the consent', async () => {
    const client = await newClient('Journeyman');

    const welfare = await handover(client.id, { categories: ['IDENTITY', 'WELFARE'] });
    expect(welfare.status).toBe(400);
    expect(welfare.body.errors[0]).toMatchObject({ field: 'categories', code: 'not-covered-by-consent' });
    expect(welfare.body.errors[0].message).toContain('WELFARE');

    const sent = await handover(client.id);
    expect(sent.status).toBe(201);
    // due after the agreement's service level: 10 working days, weekends excluded
    expect(sent.body).toMatchObject({ status: 'SENT', version: 2, overdue: false, dueDate: addWorkingDays(belgianToday(), 10) });
    const id = sent.body.id;

    const inbox = await as('mediator').get('/handovers?box=inbox');
    expect(inbox.body.items.map((r: { id: string }) => r.id)).toContain(id);
    expect(inbox.body.counts.SENT).toBeGreaterThanOrEqual(1);
    // the seeded inbox is lived-in: every state but DRAFT (drafts stay with the sender), one overdue
    expect(Object.keys(inbox.body.counts).sort()).toEqual(['ACCEPTED', 'COMPLETED', 'DECLINED', 'EXPIRED', 'INFO_REQUESTED', 'SENT', 'WITHDRAWN']);
    expect((await as('mediator').get('/handovers?box=inbox&overdue=true')).body.items.length).toBeGreaterThanOrEqual(1);
    expect((await as('ranst').get('/handovers?box=outbox&status=SENT')).body.items.map((r: { id: string }) => r.id)).toContain(id);
    // open items by default; several statuses at once; one client's referrals
    const open = (await as('mediator').get('/handovers?box=inbox&limit=100')).body.items.map((r: { status: string }) => r.status);
    expect(new Set(open)).toEqual(new Set(['SENT', 'INFO_REQUESTED', 'ACCEPTED']));
    const waiting = (await as('mediator').get('/handovers?box=inbox&status=SENT,INFO_REQUESTED&limit=100')).body.items;
    expect(new Set(waiting.map((r: { status: string }) => r.status))).toEqual(new Set(['SENT', 'INFO_REQUESTED']));
    const closed = (await as('mediator').get('/handovers?box=inbox&status=DECLINED,EXPIRED,WITHDRAWN,COMPLETED&limit=100')).body.items;
    expect(closed.length).toBeGreaterThanOrEqual(4);
    expect(closed.some((r: { status: string }) => ['SENT', 'INFO_REQUESTED', 'ACCEPTED'].includes(r.status))).toBe(false);
    const ofClient = (await as('ranst').get(`/handovers?box=outbox&clientId=${client.id}`)).body.items;
    expect(ofClient.map((r: { id: string; clientId: string }) => [r.id, r.clientId])).toEqual([[id, client.id]]);
    expect((await as('mediator').get('/handovers?box=inbox&status=SENT,NOPE')).status).toBe(400);

    const mediatorId = await t.userId('mediator@vdab-antwerpen.demo');
    expect((await as('ranst').post(`/handovers/${id}/assign`, { version: 2, userId: mediatorId })).status).toBe(403);
    const assigned = await as('mediator').post(`/handovers/${id}/assign`, { version: 2, userId: mediatorId });
    expect(assigned.body).toMatchObject({ assigneeUserId: mediatorId, version: 3 });
    const assignedToMe = (await as('mediator').get(`/handovers?box=inbox&assignee=${mediatorId}`)).body.items;
    expect(assignedToMe.map((r: { id: string }) => r.id)).toContain(id);
    expect((await as('mediator').get('/handovers?box=inbox&assignee=me')).body.items.map((r: { id: string }) => r.id)).toEqual(
      assignedToMe.map((r: { id: string }) => r.id),
    );
    expect(assignedToMe.every((r: { assigneeUserId: string }) => r.assigneeUserId === mediatorId)).toBe(true);

    const question = await as('mediator').post(`/handovers/${id}/request-info`, { version: 3, question: 'Is a driving licence in progress?' });
    expect(question.body).toMatchObject({ status: 'INFO_REQUESTED', version: 4 });
    const wrongSide = await as('mediator').post(`/handovers/${id}/answer`, { version: 4, answer: 'yes' });
    expect(wrongSide.status).toBe(403);
    const answered = await as('ranst').post(`/handovers/${id}/answer`, { version: 4, answer: 'Theory exam passed in October' });
    expect(answered.body).toMatchObject({ status: 'SENT', version: 5, answer: 'Theory exam passed in October' });

    const accepted = await as('mediator').post(`/handovers/${id}/accept`, { version: 5 });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'ACCEPTED', trajectoryId: expect.any(String) });
    const again = await as('mediator').post(`/handovers/${id}/accept`, { version: 6 });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('illegal-referral-move');

    const trajectory = await as('ranst').get(`/trajectories/${accepted.body.trajectoryId}`);
    expect(trajectory.status).toBe(200);
    expect(trajectory.body).toMatchObject({ type: 'MEDIATION', directorOrganisationId: ranst });
    expect(trajectory.body.participants).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ organisationId: ranst, capacity: 'DIRECTOR' }),
        expect.objectContaining({ organisationId: vdab, capacity: 'EXECUTOR' }),
      ]),
    );

    // a shared note by the mediator reaches the social worker; WELFARE and INTERNAL notes stay home
    const trajectoryId = accepted.body.trajectoryId;
    const shared = await as('mediator').post(`/trajectories/${trajectoryId}/notes`, {
      category: 'EMPLOYMENT',
      visibility: 'SHARED',
      body: 'Intake planned on 2 December',
    });
    expect(shared.status).toBe(201);
    const internal = await as('mediator').post(`/trajectories/${trajectoryId}/notes`, {
      category: 'EMPLOYMENT',
      visibility: 'INTERNAL',
      body: 'VDAB-only remark',
    });
    expect(internal.status).toBe(201);
    const welfareNote = await as('ranst').post(`/trajectories/${trajectoryId}/notes`, {
      category: 'WELFARE',
      visibility: 'SHARED',
      body: 'CANARY-WELFARE-NOTE',
    });
    expect(welfareNote.status).toBe(201);
    const workerNotes = (await as('ranst').get(`/trajectories/${trajectoryId}/notes`)).body.map((n: { body: string }) => n.body);
    expect(workerNotes).toEqual(expect.arrayContaining(['Intake planned on 2 December', 'CANARY-WELFARE-NOTE']));
    expect(workerNotes).not.toContain('VDAB-only remark');
    expect((await as('ranst').get(`/clients/${client.id}/notes`)).body.map((n: { body: string }) => n.body)).toContain('Intake planned on 2 December');
    const mediatorNotes = (await as('mediator', 'MEDIATION').get(`/trajectories/${trajectoryId}/notes`)).body.map((n: { body: string }) => n.body);
    expect(mediatorNotes).toEqual(expect.arrayContaining(['Intake planned on 2 December', 'VDAB-only remark']));
    expect(mediatorNotes).not.toContain('CANARY-WELFARE-NOTE');

    // every notification of the journey arrives once, in the right user's list
    const mine = async (who: string) =>
      (await notificationsOf(who)).body.items
        .filter((n: { referralId: string }) => n.referralId === id)
        .map((n: { kind: string }) => n.kind)
        .sort();
    // unassigned, it reached the team lead; assigned, the assignee; nobody else of VDAB
    expect(await mine('lead')).toEqual(['referral.received']);
    expect(await mine('mediator')).toEqual(['referral.answered', 'referral.assigned']);
    expect(await mine('mediator2')).toEqual([]);
    expect(await mine('ranst')).toEqual(['referral.accepted', 'referral.info-requested']);
    const before = (await notificationsOf('mediator')).body;
    const [first] = before.items;
    // a readable title in the reader's language, and the path of what it is about
    expect(first).toMatchObject({ kind: 'referral.answered', title: 'The sender answered your question', link: `/handovers/${id}` });
    const dutch = await t.http.get('/notifications?limit=1').set('Authorization', `Bearer ${token.mediator}`).set('Accept-Language', 'nl-BE,nl;q=0.9');
    expect(dutch.body.items[0].title).toBe('De verzender beantwoordde je vraag');
    const read = await as('mediator').post(`/notifications/${first.id}/read`);
    expect(read.body.readAt).toEqual(expect.any(String));
    expect((await as('ranst').post(`/notifications/${first.id}/read`)).status).toBe(404);
    const after = (await as('mediator').get('/notifications?unread=true&limit=100')).body;
    expect(after.unread).toBe(before.unread - 1);
    expect(after.items.map((n: { id: string }) => n.id)).not.toContain(first.id);
    expect((await as('mediator').get('/notifications?cursor=WyJub3QgYSBkYXRlIiwiMSJd')).status).toBe(400);

    const view = await as('mediator', 'MEDIATION').get(`/clients/${client.id}`);
    expect(view.status).toBe(200);
    expect(view.body.shared[0]).toMatchObject({ organisationId: ranst, identity: { lastName: 'Journeyman' } });
    expect(view.body.shared[0].withheld).toEqual(['WELFARE']); // the consent names TRAJECTORY now: the executor sees its trajectory
    expect(JSON.stringify(view.body)).not.toContain('CANARY-JOURNEY-WELFARE');

    // the handover is done once its trajectory starts
    const { body: planned } = await as('ranst').get(`/trajectories/${accepted.body.trajectoryId}`);
    expect((await as('ranst').post(`/trajectories/${planned.id}/transitions`, { to: 'ACTIVE', version: planned.version })).status).toBe(200);
    expect((await as('ranst').get(`/handovers/${id}`)).body.status).toBe('COMPLETED');

    expect((await as('ranst').post(`/consents/${client.consentId}/revoke`, { reason: 'Client withdrew consent' })).status).toBe(200);
    expect((await as('mediator', 'MEDIATION').get(`/clients/${client.id}`)).status).toBe(404);
    expect((await as('ranst').get(`/trajectories/${accepted.body.trajectoryId}`)).status).toBe(200);
    const told = (await notificationsOf('mediator')).body.items.filter(
      (n: { kind: string; clientId: string }) => n.kind === 'consent.revoked' && n.clientId === client.id,
    );
    expect(told).toHaveLength(1);
  });

  it('refuses to start MEDIATION while a NOT_YET_READY signal stands, and allows it once lifted', async () => {
    const client = await newClient('Notyet');
    const signal = await as('ranst').post('/handovers', {
      kind: 'NOT_YET_READY',
      clientId: client.id,
      toOrganisationId: vdab,
      categories: [],
      reviewDate: '2027-06-30',
      send: true,
    });
    expect(signal.status).toBe(201);
    const sent = await handover(client.id);
    const blocked = await as('mediator').post(`/handovers/${sent.body.id}/accept`, { version: sent.body.version });
    expect(blocked.status).toBe(409);
    expect(blocked.body).toMatchObject({ code: 'not-yet-ready', title: expect.stringContaining('2027-06-30') });
    const direct = await as('ranst').post('/trajectories', { clientId: client.id, type: 'MEDIATION' });
    expect(direct.status).toBe(409);
    expect(direct.body.code).toBe('not-yet-ready');

    expect((await as('ranst').post(`/handovers/${signal.body.id}/withdraw`, { version: signal.body.version })).status).toBe(200);
    const accepted = await as('mediator').post(`/handovers/${sent.body.id}/accept`, { version: sent.body.version });
    expect(accepted.status).toBe(200);
  });

  it('lets the receiver of a NOT_YET_READY signal take note of it, never accept or decline it, and the sender lift it after', async () => {
    const client = await newClient('Noted');
    const signal = await as('ranst').post('/handovers', {
      kind: 'NOT_YET_READY',
      clientId: client.id,
      toOrganisationId: vdab,
      categories: [],
      note: 'Housing first; we look again in spring',
      reviewDate: '2027-03-31',
      send: true,
    });
    expect(signal.status).toBe(201);
    const bodies: Record<string, object> = { accept: {}, decline: { reasonCode: 'NO_CAPACITY' }, 'request-info': { question: 'Why not now?' } };
    for (const [move, body] of Object.entries(bodies)) {
      const refused = await as('mediator').post(`/handovers/${signal.body.id}/${move}`, { version: signal.body.version, ...body });
      expect({ move, status: refused.status, code: refused.body.code, title: refused.body.title }).toEqual({
        move,
        status: 409,
        code: 'illegal-referral-move',
        title: expect.stringContaining('Possible: acknowledge.'),
      });
    }
    // the sender cannot take note of its own signal
    expect((await as('ranst').post(`/handovers/${signal.body.id}/acknowledge`, { version: signal.body.version })).status).toBe(403);
    const noted = await as('mediator').post(`/handovers/${signal.body.id}/acknowledge`, { version: signal.body.version });
    expect(noted.status).toBe(200);
    expect(noted.body.status).toBe('ACKNOWLEDGED');
    const told = (await notificationsOf('ranst')).body.items.filter((n: { referralId: string }) => n.referralId === signal.body.id);
    expect(told.map((n: { kind: string }) => n.kind)).toEqual(['referral.acknowledged']);
    // taking note lifts nothing: the director's signal still holds
    const held = await as('ranst').post('/trajectories', { clientId: client.id, type: 'MEDIATION' });
    expect(held.body.code).toBe('not-yet-ready');
    // a warm handover is decided, not acknowledged
    const sent = await as('ranst').post('/handovers', {
      kind: 'WARM_HANDOVER',
      clientId: client.id,
      toOrganisationId: vdab,
      categories: ['IDENTITY'],
      note: 'Later',
    });
    expect(sent.status).toBe(201); // a draft: the signal holds handovers back from being sent, not from being written
    const lifted = await as('ranst').post(`/handovers/${signal.body.id}/withdraw`, { version: noted.body.version });
    expect(lifted.status).toBe(200);
    expect(lifted.body.status).toBe('WITHDRAWN');
    const started = await as('ranst').post('/trajectories', { clientId: client.id, type: 'MEDIATION' });
    expect(started.status).toBe(201);
  });

  it('keeps the whole conversation of a handover: two questions, two answers and messages, each with its author', async () => {
    const client = await newClient('Gesprek');
    const sent = await handover(client.id);
    expect(sent.status).toBe(201);
    const mediatorId = await t.userId('mediator@vdab-antwerpen.demo');
    const ranstWorker = await t.userId('social.worker@ocmw-ranst.demo');
    // a warm handover between people: the receiver sees who sent it and how to reach them
    expect((await as('mediator').get(`/handovers/${sent.body.id}`)).body.sender).toEqual({
      id: ranstWorker,
      organisationId: ranst,
      organisationName: 'OCMW Ranst',
      displayName: 'Sanne Verlinden',
      roles: ['SOCIAL_WORKER'],
      email: 'social.worker@ocmw-ranst.demo',
      workPhone: null,
    });
    let version = sent.body.version;
    const ask = async (question: string) => {
      const r = await as('mediator').post(`/handovers/${sent.body.id}/request-info`, { version, question });
      expect(r.status).toBe(200);
      version = r.body.version;
    };
    const reply = async (answer: string) => {
      const r = await as('ranst').post(`/handovers/${sent.body.id}/answer`, { version, answer });
      expect(r.status).toBe(200);
      version = r.body.version;
    };
    await ask('Is there a driving licence in progress?');
    await reply('Yes, theory passed in October.');
    await ask('Can the intake be in Dutch?');
    await reply('Yes, level B1.');
    const message = await as('mediator').post(`/handovers/${sent.body.id}/messages`, { body: 'Thanks, I will call you on Monday.' });
    expect(message.status).toBe(201);
    const thread = await as('ranst').get(`/handovers/${sent.body.id}/messages`);
    expect(thread.status).toBe(200);
    expect(thread.body.withheld).toBe(false);
    expect(thread.body.items.map((m: { kind: string; body: string; authorUserId: string }) => [m.kind, m.body, m.authorUserId])).toEqual([
      ['QUESTION', 'Is there a driving licence in progress?', mediatorId],
      ['ANSWER', 'Yes, theory passed in October.', ranstWorker],
      ['QUESTION', 'Can the intake be in Dutch?', mediatorId],
      ['ANSWER', 'Yes, level B1.', ranstWorker],
      ['MESSAGE', 'Thanks, I will call you on Monday.', mediatorId],
    ]);
    expect((await as('mediator').get(`/handovers/${sent.body.id}/messages`)).body.items).toHaveLength(5);
    const told = (await notificationsOf('ranst')).body.items.filter(
      (n: { referralId: string; kind: string }) => n.referralId === sent.body.id && n.kind === 'referral.message',
    );
    expect(told).toHaveLength(1);
    // once the client revokes the consent, the receiver's side of the conversation closes
    const consents = (await as('ranst').get(`/clients/${client.id}/consents`)).body;
    for (const c of consents) await as('ranst').post(`/consents/${c.id}/revoke`, { reason: 'Client withdrew' });
    const closed = await as('mediator').get(`/handovers/${sent.body.id}/messages`);
    expect(closed.body).toEqual({ items: [], withheld: true });
    const refused = await as('mediator').post(`/handovers/${sent.body.id}/messages`, { body: 'Still there?' });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('thread-withheld');
  });

  it('plans the three-way intake: the receiver confirms a proposed date or proposes others, both see it, and it goes in a calendar', async () => {
    const client = await newClient('Intake');
    const today = belgianToday();
    const inDays = (n: number) => new Date(Date.parse(`${today}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    const sent = await handover(client.id, { proposedIntakeDates: [inDays(7), inDays(9)] });
    expect(sent.body).toMatchObject({ proposedIntakeDates: [inDays(7), inDays(9)], intakeProposedByOrganisationId: ranst, intake: null });
    // the sender cannot confirm its own proposal; a date not proposed is refused with the proposals named
    expect((await as('ranst').post(`/handovers/${sent.body.id}/intake`, { date: inDays(7), version: sent.body.version })).body.code).toBe(
      'intake-not-yours-to-confirm',
    );
    const notProposed = await as('mediator').post(`/handovers/${sent.body.id}/intake`, { date: inDays(8), version: sent.body.version });
    expect(notProposed.status).toBe(400);
    expect(notProposed.body.errors[0]).toMatchObject({ field: 'date', code: 'not-a-proposed-date', message: expect.stringContaining(inDays(7)) });
    // VDAB proposes others; Ranst confirms one with a time
    const counter = await as('mediator').post(`/handovers/${sent.body.id}/intake/proposals`, { dates: [inDays(10), inDays(11)], version: sent.body.version });
    expect(counter.status).toBe(200);
    expect(counter.body).toMatchObject({ proposedIntakeDates: [inDays(10), inDays(11)], intakeProposedByOrganisationId: vdab });
    const past = await as('ranst').post(`/handovers/${sent.body.id}/intake/proposals`, { dates: ['2020-01-01'], version: counter.body.version });
    expect(past.status).toBe(400);
    const confirmed = await as('ranst').post(`/handovers/${sent.body.id}/intake`, { date: inDays(11), time: '10:30', version: counter.body.version });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.intake).toMatchObject({ date: inDays(11), time: '10:30', confirmedByOrganisationId: ranst });
    expect((await as('mediator').get(`/handovers/${sent.body.id}`)).body.intake).toMatchObject({ date: inDays(11), time: '10:30' });
    const ics = await as('mediator').get(`/handovers/${sent.body.id}/intake.ics`);
    expect(ics.status).toBe(200);
    expect(ics.headers['content-type']).toMatch(/^text\/calendar/);
    expect(ics.text).toContain('BEGIN:VEVENT');
    expect(ics.text).toContain(`DTSTART:${inDays(11).replace(/-/g, '')}T103000`);
    expect(ics.text).toContain(`UID:intake-${sent.body.id}@casework`);
    expect(ics.text).not.toContain('Journey'); // no client data in a calendar
    // nobody at VDAB has the handover yet: its team lead hears of it
    const told = (await notificationsOf('lead')).body.items.filter(
      (n: { referralId: string; kind: string }) => n.referralId === sent.body.id && n.kind === 'referral.intake-confirmed',
    );
    expect(told).toHaveLength(1);
  });

  it('gives work nobody has picked up to the team leads, and to all case workers of an organisation that has none', async () => {
    const guide = await t.userId('trajectory.guide@ocmw-ranst.demo');
    const worker = await t.userId('social.worker@ocmw-ranst.demo');
    const lead = await t.userId('team.lead@vdab-antwerpen.demo');
    const [{ id: toRanst }] = await t.dataSource.query(
      `INSERT INTO outbox_event (kind, target_organisation_id, target_audience) VALUES ('referral.received', $1, 'TEAM_LEADS') RETURNING id`,
      [ranst],
    );
    const [{ id: toVdab }] = await t.dataSource.query(
      `INSERT INTO outbox_event (kind, target_organisation_id, target_audience) VALUES ('referral.received', $1, 'TEAM_LEADS') RETURNING id`,
      [vdab],
    );
    await t.app.get(NotificationDispatcher).dispatch();
    const reached = async (eventId: string) =>
      (
        await t.dataSource.query(
          `SELECT n.user_id FROM notification n JOIN outbox_event e ON e.kind = n.kind AND e.created_at = n.created_at WHERE e.id = $1 ORDER BY n.user_id`,
          [eventId],
        )
      ).map((r: { user_id: string }) => r.user_id);
    expect(await reached(toVdab)).toEqual([lead]);
    expect(await reached(toRanst)).toEqual(expect.arrayContaining([guide, worker]));
  });

  it('gives 50 concurrent accepts of one handover exactly one winner, and no duplicate rows', async () => {
    const client = await newClient('Concurrent');
    const sent = await handover(client.id);
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => as('mediator').post(`/handovers/${sent.body.id}/accept`, { version: sent.body.version })),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const [rows] = await t.dataSource.query(
      `SELECT (SELECT count(*)::int FROM involvement WHERE person_id = $1 AND organisation_id = $2 AND capacity = 'EXECUTOR' AND ended_at IS NULL) AS involvements,
              (SELECT count(*)::int FROM trajectory WHERE person_id = $1 AND type = 'MEDIATION') AS trajectories,
              (SELECT count(*)::int FROM trajectory_participant p JOIN trajectory t ON t.id = p.trajectory_id WHERE t.person_id = $1) AS participants`,
      [client.id, vdab],
    );
    expect(rows).toEqual({ involvements: 1, trajectories: 1, participants: 2 });
  }, 60_000);

  it('answers a retried request with the same Idempotency-Key with the first answer, and a reused key with 422', async () => {
    const client = await newClient('Retry');
    const body = {
      kind: 'WARM_HANDOVER',
      clientId: client.id,
      toOrganisationId: vdab,
      categories: ['IDENTITY', 'EMPLOYMENT'],
      send: true,
    };
    const post = (key: string, payload: object) =>
      t.http.post('/handovers').set('Authorization', `Bearer ${token.ranst}`).set('Idempotency-Key', key).send(payload);
    const first = await post('handover-retry-1', body);
    const retry = await post('handover-retry-1', body);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.id).toBe(first.body.id);
    const [replayed] = await t.dataSource.query(`SELECT subject_person_id FROM audit_event WHERE action = 'request.replay' AND request_id = $1`, [
      retry.headers['x-request-id'],
    ]);
    expect(replayed).toEqual({ subject_person_id: client.id });
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM referral WHERE person_id = $1`, [client.id]);
    expect(n).toBe(1);
    const reused = await post('handover-retry-1', { ...body, note: 'something else' });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency-key-reused');
    // keys are per user
    const other = await t.http
      .post(`/handovers/${first.body.id}/accept`)
      .set('Authorization', `Bearer ${token.mediator}`)
      .set('Idempotency-Key', 'handover-retry-1')
      .send({ version: first.body.version });
    expect(other.status).toBe(200);
    const again = await t.http
      .post(`/handovers/${first.body.id}/accept`)
      .set('Authorization', `Bearer ${token.mediator}`)
      .set('Idempotency-Key', 'handover-retry-1')
      .send({ version: first.body.version });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(other.body);
  });

  it('answers an advice request with advice, which completes it and tells the sender', async () => {
    const client = await newClient('Advice');
    await as('ranst').post(`/clients/${client.id}/consents`, {
      recipientOrganisationIds: [vdab],
      purposes: ['ADVICE'],
      categories: ['IDENTITY', 'EMPLOYMENT'],
      legalBasis: 'PUBLIC_TASK_NOTICE',
      method: 'VERBAL',
      validFrom: '2026-01-01',
    });
    const asked = await as('ranst').post('/handovers', {
      kind: 'ADVICE_REQUEST',
      clientId: client.id,
      toOrganisationId: vdab,
      categories: ['IDENTITY', 'EMPLOYMENT'],
      send: true,
    });
    expect(asked.status).toBe(201);
    expect((await as('mediator').post(`/handovers/${asked.body.id}/advise`, { version: asked.body.version, advice: 'too early' })).status).toBe(409);
    const accepted = await as('mediator').post(`/handovers/${asked.body.id}/accept`, { version: asked.body.version });
    expect(accepted.body).toMatchObject({ status: 'ACCEPTED', trajectoryId: null });
    const advised = await as('mediator').post(`/handovers/${asked.body.id}/advise`, {
      version: accepted.body.version,
      advice: 'Integrated pathway: Dutch lessons alongside a work placement',
    });
    expect(advised.body).toMatchObject({ status: 'COMPLETED', advice: expect.stringContaining('Integrated pathway') });
    const notes = (await notificationsOf('ranst')).body.items
      .filter((n: { referralId: string }) => n.referralId === asked.body.id)
      .map((n: { kind: string }) => n.kind);
    expect(notes.sort()).toEqual(['referral.accepted', 'referral.advised']);
  });

  it('expires referrals left unanswered past their due date, and tells the sender', async () => {
    const [overdue] = await t.dataSource.query(
      `SELECT id, person_id FROM referral WHERE status = 'SENT' AND due_date < current_date ORDER BY due_date LIMIT 1`,
    );
    expect(overdue).toBeDefined(); // the demo seed keeps one waiting too long
    const expired = await t.app.get(ReferralExpiry).expireOverdue();
    expect(expired).toBeGreaterThanOrEqual(1);
    expect(await t.app.get(ReferralExpiry).expireOverdue()).toBe(0);
    expect((await as('ranst').get(`/handovers/${overdue.id}`)).body.status).toBe('EXPIRED');
    const notified = (await notificationsOf('ranst')).body.items.filter((n: { referralId: string }) => n.referralId === overdue.id);
    expect(notified.map((n: { kind: string }) => n.kind)).toEqual(['referral.expired']);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'referral.expire' AND resource_id = $1`, [overdue.id]);
    expect(n).toBe(1);
  });

  // after the expiry test above: this one runs the expiry job itself
  it('holds a NOT_YET_READY signal until its review date, whatever the receiver answers or the deadline, for every mediation type, and reminds the sender then', async () => {
    const client = await newClient('Holdsfast');
    const signal = await as('ranst').post('/handovers', {
      kind: 'NOT_YET_READY',
      clientId: client.id,
      toOrganisationId: vdab,
      categories: [],
      reviewDate: '2027-06-30',
      send: true,
    });
    expect(signal.status).toBe(201);
    // the response deadline passes: the signal does not expire, and still holds
    await t.dataSource.query(`UPDATE referral SET due_date = current_date - 1 WHERE id = $1`, [signal.body.id]);
    await t.app.get(ReferralExpiry).expireOverdue();
    const [{ status }] = await t.dataSource.query(`SELECT status FROM referral WHERE id = $1`, [signal.body.id]);
    expect(status).toBe('SENT');
    for (const type of ['MEDIATION', 'QUICK_MEDIATION', 'COMBINED_PATHWAY']) {
      const blocked = await as('ranst').post('/trajectories', { clientId: client.id, type });
      expect({ type, status: blocked.status, code: blocked.body.code }).toEqual({ type, status: 409, code: 'not-yet-ready' });
    }
    // the receiver's answer lifts nothing: a declined signal still holds
    await t.dataSource.query(`UPDATE referral SET status = 'DECLINED' WHERE id = $1`, [signal.body.id]);
    expect((await as('ranst').post('/trajectories', { clientId: client.id, type: 'MEDIATION' })).body.code).toBe('not-yet-ready');
    // a trajectory planned before the signal does not start while it holds either
    await t.dataSource.query(`UPDATE referral SET status = 'WITHDRAWN' WHERE id = $1`, [signal.body.id]);
    const planned = await as('ranst').post('/trajectories', { clientId: client.id, type: 'LINEAR_PATHWAY' });
    expect(planned.status).toBe(201);
    await t.dataSource.query(`UPDATE referral SET status = 'SENT' WHERE id = $1`, [signal.body.id]);
    const start = await as('ranst').post(`/trajectories/${planned.body.id}/transitions`, { to: 'ACTIVE', version: planned.body.version });
    expect(start.status).toBe(409);
    expect(start.body.code).toBe('not-yet-ready');
    // at the review date the sender is reminded, once
    await t.dataSource.query(`UPDATE referral SET review_date = current_date WHERE id = $1`, [signal.body.id]);
    await t.app.get(ReferralExpiry).expireOverdue();
    await t.app.get(ReferralExpiry).expireOverdue();
    await t.app.get(NotificationDispatcher).dispatch();
    const reminders = (await as('ranst').get('/notifications?limit=100')).body.items.filter(
      (n: { kind: string; referralId: string }) => n.kind === 'referral.review-due' && n.referralId === signal.body.id,
    );
    expect(reminders).toHaveLength(1);
  });
});
