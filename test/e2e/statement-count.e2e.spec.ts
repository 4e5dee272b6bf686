import { inszFor } from '@app/domain';
import pg from 'pg';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * How many SQL statements one dossier read sends to PostgreSQL, counted at the driver (every
 * `pg.Client#query`: transaction control, context settings, rate-limit upserts, the reads, the
 * audit chain). It fails when a change makes a read chattier than the ceiling below; lower the ceiling
 * when a change makes it leaner. Issue 12 started at 16 for a partner's read (two of them rate-limit
 * writes, five the fact queries of the CASL double-check); the facts now come in one statement, so 12
 * for a partner's read and 11 for the owner's own file. Issue 15: the two rate-limit upserts are gone
 * from the request (counted in memory, reconciled in the background): 10 and 9; the audit events are
 * appended without locking a chain head (the sequencer chains them after commit): 9 and 8; the file,
 * identities, sections, grounds and the CASL facts in one statement, and BEGIN sent with the
 * transaction's settings: 5 and 5 (the identity check, BEGIN with the context, the read, the audit
 * append, COMMIT), the goal of issue 15.
 */
const PARTNER_READ_CEILING = 5;
const OWN_READ_CEILING = 5;

describe('statements per dossier read', () => {
  let t: TestApp;
  let client: string;
  const token: Record<string, string> = {};
  const texts: string[] = [];
  let counting = false;
  const original = pg.Client.prototype.query;

  beforeAll(async () => {
    // The rate limits count in memory and reconcile in the background every RATE_LIMIT_SYNC_MS, and
    // the audit sequencer chains entries every AUDIT_SEQUENCE_MS: set long (and off) here, so no
    // background statement falls inside the request being counted.
    t = await startTestApp({}, undefined, { RATE_LIMIT_SYNC_MS: '60000', AUDIT_SEQUENCE_MS: '0' });
    for (const [who, email] of [
      ['ranst', 'social.worker@ocmw-ranst.demo'],
      ['vdab', 'mediator@vdab-antwerpen.demo'],
    ]) {
      token[who] = (await t.signIn(email)).accessToken;
    }
    const vdab = await t.organisationId('VDAB Antwerpen');
    const as = (who: string) => (r: any) => r.set('Authorization', `Bearer ${token[who]}`);
    const birthDate = '1990-05-05';
    const created = await as('ranst')(t.http.post('/clients')).send({
      insz: inszFor(birthDate, 811),
      firstName: 'Tel',
      lastName: 'Len',
      birthDate,
      contact: { phone: '+32 470 00 00 02' },
      employment: { notes: 'counted' },
    });
    expect(created.status).toBe(201);
    client = created.body.id;
    const consent = await as('ranst')(t.http.post(`/clients/${client}/consents`)).send({
      recipientOrganisationIds: [vdab],
      purposes: ['MEDIATION'],
      categories: ['IDENTITY', 'CONTACT', 'EMPLOYMENT'],
      legalBasis: 'PUBLIC_TASK_NOTICE',
      method: 'VERBAL',
      validFrom: '2026-01-01',
    });
    expect(consent.status).toBe(201);
    const involvement = await as('ranst')(t.http.post(`/clients/${client}/involvements`)).send({
      organisationId: vdab,
      capacity: 'EXECUTOR',
      purpose: 'MEDIATION',
    });
    expect(involvement.status).toBe(201);

    pg.Client.prototype.query = function counted(this: pg.Client, ...args: any[]) {
      const config = args[0];
      if (counting) texts.push(typeof config === 'string' ? config : config?.text);
      return (original as any).apply(this, args);
    } as any;
  });
  afterAll(async () => {
    pg.Client.prototype.query = original;
    await t.close();
  });

  const count = async (who: string, purpose?: string) => {
    texts.length = 0;
    counting = true;
    let request = t.http.get(`/clients/${client}`).set('Authorization', `Bearer ${token[who]}`);
    if (purpose) request = request.set('X-Purpose', purpose);
    const response = await request;
    counting = false;
    expect(response.status).toBe(200);
    // one transaction, one commit
    expect(texts.filter((text) => /^\s*(BEGIN|START TRANSACTION)\b/i.test(text))).toHaveLength(1);
    expect(texts.filter((text) => /^\s*COMMIT\b/i.test(text))).toHaveLength(1);
    return { n: texts.length, body: response.body };
  };

  it(`a partner reads a shared dossier in at most ${PARTNER_READ_CEILING} statements`, async () => {
    await count('vdab', 'MEDIATION'); // warm: prepared caches, first-use paths
    const { n, body } = await count('vdab', 'MEDIATION');
    expect(JSON.stringify(body)).toContain('counted'); // the shared EMPLOYMENT section was read
    console.log(`partner dossier read: ${n} statements`);
    expect(n).toBeLessThanOrEqual(PARTNER_READ_CEILING);
  });

  it(`the owner reads its own dossier in at most ${OWN_READ_CEILING} statements`, async () => {
    await count('ranst');
    const { n } = await count('ranst');
    console.log(`own dossier read: ${n} statements`);
    expect(n).toBeLessThanOrEqual(OWN_READ_CEILING);
  });
});
