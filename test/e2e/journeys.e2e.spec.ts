import { NotificationDispatcher, inszFor } from '@app/domain';
import canonicalize from 'canonicalize';
import { createPublicKey, verify } from 'node:crypto';
import { binary, readPdf } from '../support/pdf.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The three journeys of ../shared/domain/README.md (walked in journeys-2026-11-28.md), end to end over
 * HTTP, each step as the user who takes it: an OCMW social worker who directs a leefloon client's
 * trajectory, a VDAB mediator who carries out the mediation, a privacy officer who answers the
 * citizen, and a third OCMW that must see none of it. The steps run in order and share one client.
 */
describe('the journeys of the domain README', () => {
  let t: TestApp;
  const token: Record<string, string> = {};
  let ranst: string;
  let vdab: string;
  let mediatorId: string;
  let ranstWorker: string;
  const pdf = Buffer.from('%PDF-1.7\n% CV Leila Benali\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');

  const as = (who: string, purpose?: string) => ({
    get: (url: string) => {
      const r = t.http.get(url).set('Authorization', `Bearer ${token[who]}`).set('Accept-Language', 'nl');
      return purpose ? r.set('X-Purpose', purpose) : r;
    },
    post: (url: string, body: object = {}) => {
      const r = t.http.post(url).set('Authorization', `Bearer ${token[who]}`).set('Accept-Language', 'nl');
      return (purpose ? r.set('X-Purpose', purpose) : r).send(body);
    },
  });
  const ok = async <T extends { status: number; body: any }>(response: Promise<T> | T, status = 200): Promise<T['body']> => {
    const r = await response;
    if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const notificationsOf = async (who: string) => {
    await t.app.get(NotificationDispatcher).dispatch();
    return (await as(who).get('/notifications?limit=100')).body.items as Array<{ kind: string; referralId: string | null; clientId: string | null }>;
  };

  // what the journey builds, step by step
  let client: string;
  let signal: { id: string; version: number };
  let cv: string;
  let handover: { id: string; version: number };
  let trajectory: { id: string; version: number };

  beforeAll(async () => {
    t = await startTestApp();
    for (const [who, email] of Object.entries({
      ranst: 'social.worker@ocmw-ranst.demo',
      ranstPrivacy: 'privacy@ocmw-ranst.demo',
      vdabPrivacy: 'privacy@vdab-antwerpen.demo',
      mediator: 'mediator@vdab-antwerpen.demo',
      schelle: 'social.worker@ocmw-schelle.demo',
    })) {
      token[who] = (await t.signIn(email)).accessToken;
    }
    ranst = await t.organisationId('OCMW Ranst');
    vdab = await t.organisationId('VDAB Antwerpen');
    mediatorId = await t.userId('mediator@vdab-antwerpen.demo');
    ranstWorker = await t.userId('social.worker@ocmw-ranst.demo');
  });
  afterAll(() => t.close());

  describe('(a) the OCMW social worker directs', () => {
    it('registers a leefloon client and informs her of the exchange with VDAB (a documented notice)', async () => {
      const birthDate = '1991-02-17';
      const created = await ok(
        as('ranst').post('/clients', {
          insz: inszFor(birthDate, 412),
          firstName: 'Leila',
          lastName: 'Benali',
          birthDate,
          contact: { phone: '+32 470 55 66 77' },
          employment: { jobTarget: { occupation: 'Magazijnier', bottleneckOccupation: true }, notes: 'Heftruckattest 2025' },
          obstacles: { mobility: 'Geen rijbewijs', childcare: 'Twee kinderen, 3 en 6' },
          welfare: { incomeSituation: 'LEEFLOON', notes: 'JOURNEY-WELFARE: schuldbemiddeling loopt' },
        }),
        201,
      );
      client = created.id;
      await ok(
        as('ranst').post(`/clients/${client}/consents`, {
          recipientOrganisationIds: [vdab],
          purposes: ['MEDIATION'],
          categories: ['IDENTITY', 'CONTACT', 'EMPLOYMENT', 'TRAJECTORY', 'OBSTACLES'],
          legalBasis: 'PUBLIC_TASK_NOTICE',
          method: 'SIGNED_FORM',
          evidenceReference: 'Informatiebrief MLP, getekend 2026-11-28',
          validFrom: '2026-11-01',
        }),
        201,
      );
      // she finds her by first name, as people search
      const found = await ok(as('ranst').get('/clients?search=leila'));
      expect(found.items.map((i: { id: string }) => i.id)).toContain(client);
    });

    it('signals NOT_YET_READY: VDAB takes note, nothing can start, and only she lifts it', async () => {
      signal = await ok(
        as('ranst').post('/handovers', {
          kind: 'NOT_YET_READY',
          clientId: client,
          toOrganisationId: vdab,
          categories: [],
          note: 'Eerst de schuldbemiddeling afronden',
          reviewDate: '2027-02-26',
          send: true,
        }),
        201,
      );
      const noted = await ok(as('mediator').post(`/handovers/${signal.id}/acknowledge`, { version: signal.version }));
      expect(noted.status).toBe('ACKNOWLEDGED');
      expect((await as('ranst').post('/trajectories', { clientId: client, type: 'MEDIATION' })).body.code).toBe('not-yet-ready');
      expect((await as('mediator').post(`/handovers/${signal.id}/withdraw`, { version: noted.version })).status).toBe(403);
      const lifted = await ok(as('ranst').post(`/handovers/${signal.id}/withdraw`, { version: noted.version }));
      expect(lifted.status).toBe('WITHDRAWN');
    });

    it('sends a warm handover with the CV and proposed intake dates', async () => {
      const uploaded = await t.http
        .post(`/clients/${client}/documents`)
        .set('Authorization', `Bearer ${token.ranst}`)
        .field('category', 'EMPLOYMENT')
        .attach('file', pdf, { filename: 'CV Leila Benali.pdf', contentType: 'application/pdf' });
      expect(uploaded.status).toBe(201);
      cv = uploaded.body.id;
      handover = await ok(
        as('ranst').post('/handovers', {
          kind: 'WARM_HANDOVER',
          clientId: client,
          toOrganisationId: vdab,
          categories: ['IDENTITY', 'CONTACT', 'EMPLOYMENT', 'OBSTACLES'],
          documentIds: [cv],
          note: 'Gemotiveerd, klaar voor bemiddeling. Graag een driegesprek met mij erbij.',
          proposedIntakeDates: ['2026-12-08', '2026-12-10'],
          send: true,
        }),
        201,
      );
      expect(handover).toMatchObject({ status: 'SENT', documents: [expect.objectContaining({ id: cv })] });
    });
  });

  describe('(b) the VDAB mediator decides with the facts and carries out the mediation', () => {
    it('reads the offered categories and the CV before accepting, and knows who to call', async () => {
      const seen = await ok(as('mediator').get(`/handovers/${handover.id}`));
      expect(seen).toMatchObject({
        noteWithheld: false,
        note: expect.stringContaining('driegesprek'),
        sender: expect.objectContaining({ displayName: 'Sanne Verlinden', email: 'social.worker@ocmw-ranst.demo', organisationName: 'OCMW Ranst' }),
        documents: [expect.objectContaining({ id: cv, fileName: 'CV Leila Benali.pdf' })],
      });
      const file = await ok(as('mediator', 'MEDIATION').get(`/clients/${client}`));
      const shared = file.shared.find((f: { organisationId: string }) => f.organisationId === ranst);
      expect(Object.keys(shared)).toEqual(expect.arrayContaining(['identity', 'contact', 'employment', 'obstacles']));
      expect(JSON.stringify(file)).not.toContain('JOURNEY-WELFARE');
      const download = await as('mediator', 'MEDIATION').get(`/documents/${cv}`);
      expect(download.status).toBe(200);
      expect(Number(download.headers['content-length'])).toBe(pdf.length);
    });

    it('asks two questions; both, and both answers, are kept', async () => {
      let version = handover.version;
      for (const [question, answer] of [
        ['Is er een rijbewijs in aanmaak?', 'Ja, theorie geslaagd in oktober.'],
        ['Kan het intakegesprek in het Nederlands?', 'Ja, niveau B1.'],
      ]) {
        version = (await ok(as('mediator').post(`/handovers/${handover.id}/request-info`, { version, question }))).version;
        version = (await ok(as('ranst').post(`/handovers/${handover.id}/answer`, { version, answer }))).version;
      }
      const thread = await ok(as('ranst').get(`/handovers/${handover.id}/messages`));
      expect(thread.items.map((m: { kind: string; authorUserId: string }) => [m.kind, m.authorUserId])).toEqual([
        ['QUESTION', mediatorId],
        ['ANSWER', ranstWorker],
        ['QUESTION', mediatorId],
        ['ANSWER', ranstWorker],
      ]);
      handover.version = version;
    });

    it('accepts and confirms one of the proposed intake dates; both sides see it', async () => {
      const accepted = await ok(as('mediator').post(`/handovers/${handover.id}/accept`, { version: handover.version }));
      expect(accepted.trajectoryId).toEqual(expect.any(String));
      const confirmed = await ok(as('mediator').post(`/handovers/${handover.id}/intake`, { date: '2026-12-10', time: '10:30', version: accepted.version }));
      expect(confirmed.intake).toMatchObject({ date: '2026-12-10', time: '10:30', confirmedByOrganisationId: vdab });
      expect((await ok(as('ranst').get(`/handovers/${handover.id}`))).intake).toMatchObject({ date: '2026-12-10' });
      const calendar = await as('ranst').get(`/handovers/${handover.id}/intake.ics`);
      expect(calendar.status).toBe(200);
      expect(calendar.text).toContain('DTSTART:20261210T103000');
      trajectory = { id: accepted.trajectoryId, version: 0 };
    });

    it('starts the mediation, records the screening that switches it to COMBINED_PATHWAY, and the 6-month checkpoint', async () => {
      const planned = await ok(as('mediator', 'MEDIATION').get(`/trajectories/${trajectory.id}`));
      expect(planned).toMatchObject({ status: 'PLANNED', directorOrganisationId: ranst });
      const started = await ok(as('mediator', 'MEDIATION').post(`/trajectories/${trajectory.id}/transitions`, { to: 'ACTIVE', version: planned.version }));
      expect(started.status).toBe('ACTIVE');
      // starting the trajectory completes the handover that led to it
      expect((await ok(as('ranst').get(`/handovers/${handover.id}`))).status).toBe('COMPLETED');
      const screened = await ok(
        as('mediator', 'MEDIATION').post(`/trajectories/${trajectory.id}/type`, {
          type: 'COMBINED_PATHWAY',
          reason: 'Screening: NT2 naast werkplekleren',
          version: started.version,
        }),
      );
      expect(screened.type).toBe('COMBINED_PATHWAY');
      // six months pass (the checkpoint falls due)
      await t.dataSource.query(`UPDATE trajectory_checkpoint SET due_on = current_date - 1 WHERE trajectory_id = $1 AND months = 6`, [trajectory.id]);
      const recorded = await ok(as('mediator', 'MEDIATION').post(`/trajectories/${trajectory.id}/checkpoints/6`, { working: true, source: 'DIMONA' }));
      expect(recorded.checkpoints.find((c: { months: number }) => c.months === 6)).toMatchObject({ working: true });
      trajectory.version = screened.version;
    });
  });

  describe('(a) again: the OCMW sees all of it as director', () => {
    it('reads the trajectory as VDAB left it, with who did what, and was told of each move', async () => {
      const read = await ok(as('ranst').get(`/trajectories/${trajectory.id}`));
      expect(read).toMatchObject({ status: 'ACTIVE', type: 'COMBINED_PATHWAY', directorOrganisationId: ranst });
      expect(read.participants).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ organisationId: ranst, capacity: 'DIRECTOR' }),
          expect.objectContaining({ organisationId: vdab, capacity: 'EXECUTOR' }),
        ]),
      );
      expect(read.checkpoints.find((c: { months: number }) => c.months === 6).observations).toEqual([
        expect.objectContaining({ organisationId: vdab, recordedByUserId: mediatorId, working: true, source: 'DIMONA' }),
      ]);
      const typeChange = read.history.find((h: { toType?: string; type?: string }) => JSON.stringify(h).includes('COMBINED_PATHWAY'));
      expect(JSON.stringify(typeChange)).toContain('Screening: NT2 naast werkplekleren');
      const kinds = (await notificationsOf('ranst')).filter((n) => n.clientId === client || n.referralId === handover.id).map((n) => n.kind);
      expect(kinds).toEqual(
        expect.arrayContaining([
          'referral.acknowledged',
          'referral.info-requested',
          'referral.accepted',
          'referral.intake-confirmed',
          'trajectory.status-changed',
          'trajectory.type-changed',
        ]),
      );
    });
  });

  describe('a third OCMW', () => {
    it('sees none of it: not the client, the handovers, the CV, the conversation or the trajectory', async () => {
      for (const purpose of ['MEDIATION', 'ADVICE', undefined]) {
        expect((await as('schelle', purpose).get(`/clients/${client}`)).status).toBe(404);
        expect((await as('schelle', purpose).get(`/documents/${cv}`)).status).toBe(404);
        expect((await as('schelle', purpose).get(`/trajectories/${trajectory.id}`)).status).toBe(404);
      }
      for (const id of [signal.id, handover.id]) {
        expect((await as('schelle').get(`/handovers/${id}`)).status).toBe(404);
        expect((await as('schelle').get(`/handovers/${id}/messages`)).status).toBe(404);
      }
      expect((await as('schelle').get(`/handovers/${handover.id}/intake.ics`)).status).toBe(404);
      const search = await ok(as('schelle', 'MEDIATION').get('/clients?search=benali'));
      expect(search.items.map((i: { id: string }) => i.id)).not.toContain(client);
    });
  });

  describe('(c) the privacy officer answers the citizen', () => {
    it('finds Leila by INSZ or by name among her own organisation’s files: identity only, and the lookup is on record', async () => {
      const byInsz = await ok(as('ranstPrivacy').get(`/clients?search=${inszFor('1991-02-17', 412)}`));
      expect(byInsz.items).toEqual([
        { id: client, ownFile: true, name: { firstName: 'Leila', lastName: 'Benali', birthDate: '1991-02-17', sourceOrganisationId: ranst } },
      ]);
      const byName = await ok(as('ranstPrivacy').get('/clients?search=benali%20leila'));
      expect(byName.items.map((i: { id: string }) => i.id)).toEqual([client]);
      // she looks people up; she does not browse the files, nor read their content
      expect((await as('ranstPrivacy').get('/clients')).status).toBe(400);
      expect((await as('ranstPrivacy').get(`/clients/${client}`)).status).toBe(403);
      // VDAB's privacy officer: VDAB keeps no file on her
      expect((await ok(as('vdabPrivacy').get(`/clients?search=${inszFor('1991-02-17', 412)}`))).items).toEqual([]);
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'client.lookup' AND subject_person_id = $1`, [
        client,
      ]);
      expect(n).toBe(2);
    });

    it("lists who saw Leila's data, when, for what and on which ground, and the chain verifies", async () => {
      const page = await ok(as('ranstPrivacy').get(`/clients/${client}/access-report?limit=200`));
      expect(page.nextCursor).toBeNull();
      const report = page.items;
      const vdabLines = report.filter((l: { organisationId: string; action: string }) => l.organisationId === vdab && l.action !== 'access.denied');
      expect(vdabLines.map((l: { action: string }) => l.action)).toEqual(expect.arrayContaining(['client.read', 'document.read']));
      expect(vdabLines.every((l: { purpose: string }) => l.purpose === 'MEDIATION')).toBe(true);
      // Schelle's attempts are on it too, as what they were: denied
      const others = report.filter((l: { organisationId: string }) => l.organisationId !== ranst && l.organisationId !== vdab);
      expect(others.length).toBeGreaterThan(0);
      expect(new Set(others.map((l: { action: string }) => l.action))).toEqual(new Set(['access.denied']));
      const events = await ok(as('ranstPrivacy').get(`/audit/events?subjectId=${client}&action=document.read&limit=10`));
      expect(events.items).toEqual([
        expect.objectContaining({ actorOrganisationId: vdab, ground: expect.objectContaining({ kind: 'SHARED', referralId: handover.id }) }),
      ]);
      // VDAB's work on the trajectory she directs names its ground too: the involvement she recorded, its agreement and notice
      const trajectoryWork = report.filter((l: { organisationId: string; action: string }) => l.organisationId === vdab && l.action.startsWith('trajectory.'));
      expect(trajectoryWork.length).toBeGreaterThan(0);
      for (const line of trajectoryWork)
        expect({ action: line.action, ground: line.ground, detail: line.groundDetail }).toEqual({
          action: line.action,
          ground: 'SHARED',
          // started by accepting her handover; worked on under the involvement she recorded then
          detail:
            line.action === 'trajectory.create'
              ? { handoverSentOn: expect.any(String) }
              : expect.objectContaining({ agreementReference: expect.any(String), legalBasis: 'PUBLIC_TASK_NOTICE' }),
        });
      // the console names her own staff, and others by organisation and function only
      const [vdabRead] = events.items;
      expect(vdabRead).toMatchObject({ actorOrganisationName: 'VDAB Antwerpen', actorName: null, actorRoles: ['MEDIATOR'] });
      const own = await ok(as('ranstPrivacy').get(`/audit/events?subjectId=${client}&action=client.register&limit=1`));
      expect(own.items[0]).toMatchObject({ actorOrganisationName: 'OCMW Ranst', actorName: expect.any(String), actorUserId: ranstWorker });
      const [{ display_name }] = await t.dataSource.query(`SELECT display_name FROM app_user WHERE id = $1`, [ranstWorker]);
      expect(own.items[0].actorName).toBe(display_name);
      // the referral reads have their ground too: the handover that was addressed to VDAB
      const referralReads = await ok(as('ranstPrivacy').get(`/audit/events?subjectId=${client}&action=referral.read&limit=50`));
      const byVdab = referralReads.items.filter((e: { actorOrganisationId: string }) => e.actorOrganisationId === vdab);
      expect(byVdab.length).toBeGreaterThan(0);
      for (const e of byVdab) expect(e.ground).toEqual({ kind: 'SHARED', referralId: expect.any(String) });
      // verification covers the chains her report draws on, each named: her own and VDAB's
      const verified = await ok(as('ranstPrivacy').get('/audit/verify'));
      expect(verified.ok).toBe(true);
      const checked = verified.chains.map((c: { organisationName: string | null }) => c.organisationName);
      expect(checked).toEqual(expect.arrayContaining(['OCMW Ranst', 'VDAB Antwerpen']));
      for (const line of report) expect(verified.chains.map((c: { chain: string }) => c.chain)).toContain(line.event.chain);
    });

    it('hands Leila the report as a PDF in Dutch or French: VDAB’s read with Brussels date and time, purpose and ground, under a checkpoint that verifies', async () => {
      const { items: lines } = await ok(as('ranstPrivacy').get(`/clients/${client}/access-report?limit=200`));
      const read = lines.find((l: { organisationId: string; action: string }) => l.organisationId === vdab && l.action === 'client.read');
      const day = read.localTime.slice(0, 10);
      const [, hhmm] = read.localTime.match(/ (\d{2}:\d{2}):/);
      const { publicKeyPem } = await ok(t.http.get('/audit/public-key'));
      for (const [lang, words] of Object.entries({
        nl: {
          title: 'Wie heeft mijn gegevens gezien',
          purpose: 'bemiddeling naar werk',
          action: 'heeft uw dossier ingekeken',
          ground: 'de kennisgeving aan u van',
        },
        fr: {
          title: 'Qui a consulté mes données',
          purpose: 'médiation vers l’emploi',
          action: 'a consulté votre dossier',
          ground: 'l’information préalable qui vous a été donnée le',
        },
      })) {
        const response = await as('ranstPrivacy')
          .get(`/clients/${client}/access-report?format=pdf&from=${day}&to=${day}&lang=${lang}`)
          .buffer(true)
          .parse(binary);
        expect(response.status).toBe(200);
        expect(response.headers['content-type']).toBe('application/pdf');
        const { text, attachments } = await readPdf(response.body);
        const flat = text.replace(/\s+/g, ' ');
        expect(flat).toContain(words.title);
        expect(flat).toContain('Leila Benali');
        // VDAB Antwerpen's read: date and Brussels time, purpose, what was done, the ground in words
        expect(flat).toContain(`${read.localTime} VDAB Antwerpen`);
        expect(flat).toContain(hhmm);
        expect(flat).toContain(words.purpose);
        expect(flat).toContain(words.action);
        expect(flat).toContain(words.ground);
        // the checkpoints printed in the PDF verify against the published key, and cover every line listed
        const printed = [...text.matchAll(/chain: (\S+)\s+seq: (\d+)\s+headHash: ([0-9a-f]{64})\s+time: (\S+)\s+keyId: (\S+)\s+signature: (\S+)/g)].map(
          (m) => ({
            chain: m[1],
            seq: Number(m[2]),
            headHash: m[3],
            time: m[4],
            keyId: m[5],
            signature: m[6],
          }),
        );
        expect(printed.length).toBeGreaterThan(0);
        for (const c of printed) {
          const payload = Buffer.from(canonicalize({ chain: c.chain, seq: c.seq, headHash: c.headHash, time: c.time })!, 'utf8');
          expect({ chain: c.chain, verifies: verify(null, payload, createPublicKey(publicKeyPem), Buffer.from(c.signature, 'base64')) }).toEqual({
            chain: c.chain,
            verifies: true,
          });
          // a forged head does not
          const forged = Buffer.from(canonicalize({ chain: c.chain, seq: c.seq, headHash: '0'.repeat(64), time: c.time })!, 'utf8');
          expect(verify(null, forged, createPublicKey(publicKeyPem), Buffer.from(c.signature, 'base64'))).toBe(false);
        }
        const inPeriod = lines.filter((l: { localTime: string }) => l.localTime.startsWith(day));
        for (const line of inPeriod) {
          const covering = printed.find((c) => c.chain === line.event.chain);
          expect(covering && covering.seq >= line.event.seq).toBe(true);
        }
        expect(JSON.parse(attachments['checkpoints.json'].toString('utf8')).checkpoints).toEqual(printed);
        // and the head it signs is the chain as the database holds it
        for (const c of printed) {
          const [row] = await t.dataSource.query(`SELECT encode(hash, 'hex') AS hash FROM audit_event WHERE chain_id = $1 AND seq = $2`, [c.chain, c.seq]);
          expect(row.hash).toBe(c.headHash);
        }
      }
      // the CSV for the same period, in French, with the ground in words
      const csv = await as('ranstPrivacy').get(`/clients/${client}/access-report?format=csv&from=${day}&to=${day}&lang=fr`);
      const [header, ...rows] = csv.text.trim().split('\r\n');
      expect(header).toBe('Date et heure (Bruxelles),Organisation,Fonction,Finalité,Données,Action effectuée,Base juridique,Membre du personnel');
      expect(rows.some((r) => r.startsWith(`${read.localTime},VDAB Antwerpen,`) && r.includes('l’information préalable'))).toBe(true);
    });
  });
});
