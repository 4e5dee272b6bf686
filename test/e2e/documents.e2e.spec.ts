import { createHash } from 'node:crypto';
import { inszFor } from '@app/domain';
import { startTestApp, type TestApp } from '../support/test-app.js';

const MB = 1024 * 1024;
/** A PDF by its bytes (the header is what a PDF reader and file-type look at), padded to `size`. */
const pdf = (size: number, marker = 'CANARY-DOC') => {
  const head = Buffer.from(`%PDF-1.7\n% ${marker}\n1 0 obj << /Type /Catalog >> endobj\n`);
  const tail = Buffer.from('\n%%EOF\n');
  return Buffer.concat([head, Buffer.alloc(Math.max(0, size - head.length - tail.length), 0x20), tail]);
};
/** A 1x1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
/** The start of a Linux executable (ELF) and of a Windows one (MZ). */
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(4096, 0)]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62, 0), Buffer.from('PE\0\0'), Buffer.alloc(4096, 0)]);

/**
 * Documents on client files (issue 13, item 6): one file of at most 10 MB, of a kind told by its
 * content, read under the sharing rule like the category it belongs to, and audited.
 */
describe('documents on a client file', () => {
  let t: TestApp;
  const token: Record<string, string> = {};
  let vdab: string;
  let ranst: string;
  let client: string;

  const auth = (who: string) => `Bearer ${token[who]}`;
  const upload = (who: string, personId: string, file: Buffer | undefined, fileName: string, category = 'EMPLOYMENT', contentType = 'application/pdf') => {
    const request = t.http.post(`/clients/${personId}/documents`).set('Authorization', auth(who)).field('category', category);
    return file ? request.attach('file', file, { filename: fileName, contentType }) : request;
  };
  const get = (who: string, url: string, purpose?: string) => {
    const request = t.http.get(url).set('Authorization', auth(who));
    return purpose ? request.set('X-Purpose', purpose) : request;
  };
  const binary = (who: string, url: string, purpose?: string) =>
    get(who, url, purpose)
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      });

  beforeAll(async () => {
    t = await startTestApp();
    for (const [who, email] of Object.entries({
      ranst: 'social.worker@ocmw-ranst.demo',
      ranstPrivacy: 'privacy@ocmw-ranst.demo',
      schelle: 'social.worker@ocmw-schelle.demo',
      mediator: 'mediator@vdab-antwerpen.demo',
    })) {
      token[who] = (await t.signIn(email)).accessToken;
    }
    vdab = await t.organisationId('VDAB Antwerpen');
    ranst = await t.organisationId('OCMW Ranst');
    const birthDate = '1992-08-08';
    const created = await t.http
      .post('/clients')
      .set('Authorization', auth('ranst'))
      .send({ insz: inszFor(birthDate, 641), firstName: 'Doc', lastName: 'Umentje', birthDate, welfare: { incomeSituation: 'LEEFLOON' } });
    expect(created.status).toBe(201);
    client = created.body.id;
    // VDAB may read EMPLOYMENT (not WELFARE) for mediation: a notice, and an involvement Ranst recorded.
    const consent = await t.http
      .post(`/clients/${client}/consents`)
      .set('Authorization', auth('ranst'))
      .send({
        recipientOrganisationIds: [vdab],
        purposes: ['MEDIATION'],
        categories: ['IDENTITY', 'EMPLOYMENT'],
        legalBasis: 'PUBLIC_TASK_NOTICE',
        method: 'VERBAL',
        validFrom: '2026-01-01',
      });
    expect(consent.status).toBe(201);
    const involvement = await t.http
      .post(`/clients/${client}/involvements`)
      .set('Authorization', auth('ranst'))
      .send({ organisationId: vdab, capacity: 'EXECUTOR', purpose: 'MEDIATION' });
    expect(involvement.status).toBe(201);
  }, 60_000);
  afterAll(() => t.close());

  it('keeps a 10 MB PDF byte for byte, and gives it back as an attachment with its name', async () => {
    const content = pdf(10 * MB);
    const added = await upload('ranst', client, content, 'GPMI Sélène 2026.pdf');
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      clientId: client,
      organisationId: ranst,
      category: 'EMPLOYMENT',
      fileName: 'GPMI Sélène 2026.pdf',
      mediaType: 'application/pdf',
      sizeBytes: 10 * MB,
      sha256: createHash('sha256').update(content).digest('hex'),
    });
    const back = await binary('ranst', `/documents/${added.body.id}`);
    expect(back.status).toBe(200);
    expect(back.headers['content-type']).toBe('application/pdf');
    expect(back.headers['content-disposition']).toContain('attachment');
    expect(back.headers['content-disposition']).toContain("filename*=UTF-8''GPMI%20S%C3%A9l%C3%A8ne%202026.pdf");
    expect(back.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(back.body as Buffer, content)).toBe(0);
  }, 60_000);

  it('refuses a file of 10 MB and one byte with 413, and stores nothing', async () => {
    const before = await get('ranst', `/clients/${client}/documents`);
    const tooBig = await upload('ranst', client, pdf(10 * MB + 1), 'big.pdf');
    expect(tooBig.status).toBe(413);
    expect(tooBig.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(tooBig.body).toMatchObject({ code: 'file-too-large', errors: [{ field: 'file', code: 'file-too-large' }] });
    const eleven = await upload('ranst', client, pdf(11 * MB), 'eleven.pdf');
    expect(eleven.status).toBe(413);
    expect((await get('ranst', `/clients/${client}/documents`)).body).toHaveLength(before.body.length);
  }, 60_000);

  it('tells a file by its content: an executable named .pdf is a 415, a PNG named .pdf is a PNG', async () => {
    for (const [bytes, kind] of [
      [ELF, 'elf'],
      [EXE, 'exe'],
    ] as const) {
      const refused = await upload('ranst', client, bytes, 'cv.pdf');
      expect(refused.status).toBe(415);
      expect(refused.body).toMatchObject({ code: 'unsupported-file-type', errors: [{ field: 'file', code: 'unsupported-file-type' }] });
      expect(refused.body.errors[0].message).toContain(kind);
    }
    const text = await upload('ranst', client, Buffer.from('just some text, not a document'), 'notes.pdf');
    expect(text.status).toBe(415);
    const png = await upload('ranst', client, PNG, 'scan.pdf', 'IDENTITY');
    expect(png.status).toBe(201);
    expect(png.body.mediaType).toBe('image/png');
  });

  it('explains what is missing or wrong in the form', async () => {
    const none = await upload('ranst', client, undefined, '');
    expect(none.status).toBe(400);
    expect(none.body.errors).toEqual([expect.objectContaining({ field: 'file', code: 'file-required' })]);
    const category = await upload('ranst', client, pdf(1000), 'x.pdf', 'HEALTH');
    expect(category.status).toBe(400);
    expect(category.body.errors[0]).toMatchObject({ field: 'category', code: 'isIn' });
    const control = await upload('ranst', client, pdf(1000), 'bad\u0007name.pdf');
    expect(control.status).toBe(400);
    expect(control.body.errors[0]).toMatchObject({ field: 'file', code: expect.stringMatching(/^(file-name|upload-malformed)$/) });
    const nl = await upload('ranst', client, PNG.subarray(0, 4), 'x.png').set('Accept-Language', 'nl');
    expect(nl.status).toBe(415);
    expect(nl.body.title).toContain('Dit soort bestand');
  });

  it('holds the form to one file named "file" and a few short fields, and names what broke it', async () => {
    const refused = async (request: ReturnType<typeof upload>, field: string) => {
      const response = await request;
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.errors).toEqual([expect.objectContaining({ field, code: 'upload-malformed' })]);
    };
    const form = () => t.http.post(`/clients/${client}/documents`).set('Authorization', auth('ranst')).field('category', 'IDENTITY');
    await refused(form().attach('document', PNG, 'scan.png'), 'file');
    await refused(form().attach('file', PNG, 'a.png').attach('file', PNG, 'b.png'), 'file');
    await refused(form().field('a', '1').field('b', '2').field('c', '3').field('d', '4').attach('file', PNG, 'scan.png'), 'body');
    await refused(
      t.http.post(`/clients/${client}/documents`).set('Authorization', auth('ranst')).field('category', 'x'.repeat(2000)).attach('file', PNG, 'scan.png'),
      'category',
    );
    const broken = await t.http
      .post(`/clients/${client}/documents`)
      .set('Authorization', auth('ranst'))
      .set('Content-Type', 'multipart/form-data; boundary=XYZ')
      .send('--XYZ\r\nbroken');
    expect(broken.status).toBe(400);
    expect(broken.body.errors).toEqual([expect.objectContaining({ field: 'file', code: 'upload-malformed' })]);
    // Not a form at all: the same answer as a form without the file.
    const json = await t.http.post(`/clients/${client}/documents`).set('Authorization', auth('ranst')).send({ category: 'IDENTITY' });
    expect(json.status).toBe(400);
    expect(json.body.errors).toEqual([expect.objectContaining({ field: 'file', code: 'file-required' })]);
  });

  it('only the file owner adds documents; a partner gets the same answer as for a person it does not know', async () => {
    const partner = await upload('mediator', client, pdf(1000), 'x.pdf');
    const unknown = await upload('mediator', '00000000-0000-4000-8000-000000000000', pdf(1000), 'x.pdf');
    expect(partner.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(partner.body.code).toBe(unknown.body.code);
  });

  it('shows a partner a document only where it may read its category, and never to an organisation without consent', async () => {
    const employment = (await upload('ranst', client, pdf(2000, 'CANARY-EMPLOYMENT'), 'cv.pdf', 'EMPLOYMENT')).body;
    const welfare = (await upload('ranst', client, pdf(2000, 'CANARY-WELFARE'), 'leefloon.pdf', 'WELFARE')).body;

    const list = await get('mediator', `/clients/${client}/documents`, 'MEDIATION');
    expect(list.status).toBe(200);
    const ids = list.body.map((d: { id: string }) => d.id);
    expect(ids).toContain(employment.id);
    expect(ids).not.toContain(welfare.id);
    expect(list.body.every((d: { category: string }) => ['IDENTITY', 'EMPLOYMENT'].includes(d.category))).toBe(true);
    const read = await binary('mediator', `/documents/${employment.id}`, 'MEDIATION');
    expect(read.status).toBe(200);
    expect((read.body as Buffer).toString()).toContain('CANARY-EMPLOYMENT');
    expect((await get('mediator', `/documents/${welfare.id}`, 'MEDIATION')).status).toBe(404);
    // without the purpose the notice covers, nothing
    expect((await get('mediator', `/documents/${employment.id}`)).status).toBe(404);
    expect((await get('mediator', `/documents/${employment.id}`, 'ACTIVATION')).status).toBe(404);

    // Schelle has no consent and no involvement: nothing, with the same answer as for no document at all.
    const schelle = await get('schelle', `/documents/${employment.id}`, 'MEDIATION');
    const missing = await get('schelle', `/documents/00000000-0000-4000-8000-000000000000`, 'MEDIATION');
    expect(schelle.status).toBe(404);
    expect(schelle.body.code).toBe(missing.body.code);
    expect((await get('schelle', `/clients/${client}/documents`, 'MEDIATION')).status).toBe(404);

    // Schelle's attempt is recorded against the person on Ranst's chain, with ids only.
    const denials = await get('ranstPrivacy', `/audit/events?subjectId=${client}&decision=DENY&limit=100`);
    expect(denials.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 'access.denied', resourceId: employment.id, ownerOrganisationId: ranst, chain: ranst })]),
    );

    // The owner's privacy officer sees who read which document, on which ground.
    const events = await get('ranstPrivacy', `/audit/events?subjectId=${client}&limit=100`);
    expect(events.status).toBe(200);
    const reads = events.body.items.filter((e: { action: string }) => e.action === 'document.read');
    expect(reads).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actorOrganisationId: vdab,
          ownerOrganisationId: ranst,
          resourceId: employment.id,
          categories: ['EMPLOYMENT'],
          purpose: 'MEDIATION',
          ground: expect.objectContaining({ kind: 'SHARED', consentId: expect.any(String), involvementId: expect.any(String) }),
        }),
      ]),
    );
  });
});
