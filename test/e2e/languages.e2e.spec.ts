import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Which language the service speaks (issue 14): the user's choice in their profile; else the browser's
 * Accept-Language; else the organisation's (Dutch for a Flemish one). Problems, notifications and
 * reports all follow it.
 */
describe('languages', () => {
  let t: TestApp;
  let worker: string;
  let admin: string;
  const missingClient = '00000000-0000-4000-8000-000000000001';
  const titleOf = async (token: string, acceptLanguage?: string) => {
    const request = t.http.get(`/clients/${missingClient}`).set('Authorization', `Bearer ${token}`);
    const response = await (acceptLanguage ? request.set('Accept-Language', acceptLanguage) : request);
    expect(response.status).toBe(404);
    return response.body.title as string;
  };
  const patch = (token: string, url: string, body: object, headers: Record<string, string> = {}) =>
    t.http.patch(url).set('Authorization', `Bearer ${token}`).set(headers).send(body);

  const DUTCH = 'Deze cliënt bestaat niet of is voor dit doel niet zichtbaar voor jou.';
  const FRENCH = 'Ce client n’existe pas ou ne vous est pas visible pour cette finalité.';
  const ENGLISH = 'This client does not exist or is not visible to you for this purpose.';

  beforeAll(async () => {
    t = await startTestApp();
    worker = (await t.signIn('social.worker@ocmw-schelle.demo')).accessToken;
    admin = (await t.signIn('admin@platform.demo')).accessToken;
  });
  afterAll(() => t.close());

  it('speaks Dutch to a Flemish organisation by default, and the browser’s language when it asks for one it knows', async () => {
    expect(await titleOf(worker)).toBe(DUTCH);
    expect(await titleOf(worker, 'fr-BE,fr;q=0.9,en;q=0.5')).toBe(FRENCH);
    expect(await titleOf(worker, 'en-GB')).toBe(ENGLISH);
    // a language it does not speak: the organisation's
    expect(await titleOf(worker, 'de-DE')).toBe(DUTCH);
  });

  it('follows the language the user chose, whatever the browser says, until they clear it', async () => {
    const me = await t.http.get('/me').set('Authorization', `Bearer ${worker}`);
    expect(me.body.settings).toEqual({ language: null, dailyDigest: false });
    const chosen = await patch(worker, '/me/settings', { language: 'fr' });
    expect(chosen.status).toBe(200);
    expect(chosen.body).toEqual({ language: 'fr', dailyDigest: false });
    expect(await titleOf(worker, 'en-GB')).toBe(FRENCH);
    expect(await titleOf(worker)).toBe(FRENCH);
    // only their own: the colleague of the same organisation is still answered in Dutch
    const colleague = (await t.signIn('social.worker@ocmw-ranst.demo')).accessToken;
    expect(await titleOf(colleague)).toBe(DUTCH);
    const cleared = await patch(worker, '/me/settings', { language: null });
    expect(cleared.body).toEqual({ language: null, dailyDigest: false });
    expect(await titleOf(worker, 'en-GB')).toBe(ENGLISH);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'user.settings' AND resource_id = $1`, [
      await t.userId('social.worker@ocmw-schelle.demo'),
    ]);
    expect(n).toBe(2);
  });

  it('refuses a language it does not speak, in the language of the refusal', async () => {
    const wrong = await patch(worker, '/me/settings', { language: 'de' }, { 'Accept-Language': 'fr' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual([
      { field: 'language', code: 'isIn', message: expect.stringMatching(/^doit être l’une des valeurs suivantes\s:\snl, fr, en$/) },
    ]);
    const notBoolean = await patch(worker, '/me/settings', { dailyDigest: 'yes' });
    expect(notBoolean.status).toBe(400);
    expect(notBoolean.body.errors).toEqual([expect.objectContaining({ field: 'dailyDigest' })]);
    expect((await t.http.get('/me').set('Authorization', `Bearer ${worker}`)).body.settings).toEqual({ language: null, dailyDigest: false });
  });

  it('lets the platform admin set an organisation’s default language (a French-speaking CPAS)', async () => {
    const schelle = await t.organisationId('OCMW Schelle');
    const before = await t.http.get(`/organisations/${schelle}`).set('Authorization', `Bearer ${admin}`);
    expect(before.body.defaultLanguage).toBe('nl');
    const changed = await patch(admin, `/organisations/${schelle}`, { defaultLanguage: 'fr' }, { 'If-Match': before.headers.etag });
    expect(changed.status).toBe(200);
    expect(changed.body.defaultLanguage).toBe('fr');
    expect(await titleOf(worker)).toBe(FRENCH);
    expect(await titleOf(worker, 'nl-BE')).toBe(DUTCH);
    expect((await patch(admin, `/organisations/${schelle}`, { defaultLanguage: 'xx' }, { 'If-Match': changed.headers.etag })).status).toBe(400);
    const back = await patch(admin, `/organisations/${schelle}`, { defaultLanguage: 'nl' }, { 'If-Match': changed.headers.etag });
    expect(back.body.defaultLanguage).toBe('nl');
  });
});
