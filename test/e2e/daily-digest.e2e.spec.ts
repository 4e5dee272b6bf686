import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { DailyDigest } from '../../apps/api/src/notifications/daily-digest.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** A local SMTP server that keeps what it is sent: the test's mailbox. */
async function smtpSink(port = 0, refuse?: string): Promise<{ port: number; mails: ParsedMail[]; close: () => Promise<void> }> {
  const mails: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address === refuse) return callback(Object.assign(new Error(`<${address.address}>: Recipient address rejected`), { responseCode: 550 }));
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => mails.push(mail))
        .then(() => callback(), callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The daily digest (issue 14): a setting; once a Brussels day from the configured hour, in the user's
 * language, titles and links only, at most once a day, and again after a failed send.
 */
describe('daily e-mail digest', () => {
  let t: TestApp;
  let sink: Awaited<ReturnType<typeof smtpSink>>;
  let digest: DailyDigest;
  let mediator: string;
  let mediatorToken: string;
  let referral: string;
  // 28 November 2026 is winter time: Brussels is UTC+1
  const at = (brussels: string) => new Date(`${brussels}+01:00`);

  beforeAll(async () => {
    sink = await smtpSink();
    t = await startTestApp({}, undefined, {
      SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      DIGEST_HOUR: '7',
      DIGEST_FROM: 'Casework <no-reply@casework.example>',
      PUBLIC_URL: 'https://casework.example/',
    });
    digest = t.app.get(DailyDigest);
    mediator = await t.userId('mediator@vdab-antwerpen.demo');
    mediatorToken = (await t.signIn('mediator@vdab-antwerpen.demo')).accessToken;
    // what the outbox would have left for the mediator: three pieces of news about a handover
    const [{ id }] = await t.dataSource.query(`SELECT id FROM referral LIMIT 1`);
    referral = id;
    await t.dataSource.query(
      `INSERT INTO notification (user_id, kind, referral_id, created_at)
       SELECT $1, kind, $2, timestamptz '2026-11-27 16:00:00+01' + n * interval '1 minute'
         FROM unnest(ARRAY['referral.received', 'referral.message', 'referral.answered']) WITH ORDINALITY AS k(kind, n)`,
      [mediator, referral],
    );
    // a colleague with unread news who did not ask for a digest
    await t.dataSource.query(`INSERT INTO notification (user_id, kind, referral_id) VALUES ($1, 'referral.received', $2)`, [
      await t.userId('mediator2@vdab-antwerpen.demo'),
      referral,
    ]);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('sends nothing to anyone who did not ask for it', async () => {
    expect(await digest.sendDue(at('2026-11-28T08:00:00'))).toBe(0);
    expect(sink.mails).toEqual([]);
  });

  it('sends the one who asked, once that Brussels day from 07:00, in their language, with titles and links and no client data', async () => {
    const settings = await t.http.patch('/me/settings').set('Authorization', `Bearer ${mediatorToken}`).send({ dailyDigest: true, language: 'fr' });
    expect(settings.body).toEqual({ language: 'fr', dailyDigest: true });
    // 06:59 in Brussels (05:59 UTC): not yet
    expect(await digest.sendDue(at('2026-11-28T06:59:00'))).toBe(0);
    expect(await digest.sendDue(at('2026-11-28T07:05:00'))).toBe(1);
    expect(sink.mails).toHaveLength(1);
    const [mail] = sink.mails;
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : undefined).toBe('mediator@vdab-antwerpen.demo');
    expect(mail.from?.value).toEqual([{ name: 'Casework', address: 'no-reply@casework.example' }]);
    expect(mail.subject).toBe('3 notifications non lues dans Casework');
    const text = mail.text ?? '';
    expect(text).toContain('Vous avez 3 notifications non lues');
    // newest first, each with its title in French, its Brussels time and a link to the handover
    const lines = text.split('\n').filter((l) => l.startsWith('- '));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^- .+ \\(27 novembre 2026 16:03\\) https://casework\\.example/handovers/${referral}$`));
    expect(lines[2]).toMatch(/\(27 novembre 2026 16:01\)/);
    const [{ names }] = await t.dataSource.query(
      `SELECT array_agg(DISTINCT first_name) || array_agg(DISTINCT last_name) || array_agg(DISTINCT insz::text) AS names FROM client_identity`,
    );
    for (const name of names as string[]) expect(text).not.toContain(name);
    // the same day again: nothing
    expect(await digest.sendDue(at('2026-11-28T18:00:00'))).toBe(0);
    expect(sink.mails).toHaveLength(1);
  });

  it('sends again the next day while news stays unread, not once it is read', async () => {
    expect(await digest.sendDue(at('2026-11-29T07:00:00'))).toBe(1);
    expect(sink.mails).toHaveLength(2);
    await t.dataSource.query(`UPDATE notification SET read_at = now() WHERE user_id = $1`, [mediator]);
    expect(await digest.sendDue(at('2026-11-30T07:00:00'))).toBe(0);
  });

  it('keeps the day’s digest when the mail server is down, and sends it when it is back', async () => {
    await t.dataSource.query(`INSERT INTO notification (user_id, kind, referral_id) VALUES ($1, 'referral.withdrawn', $2)`, [mediator, referral]);
    const port = sink.port;
    await sink.close();
    expect(await digest.sendDue(at('2026-12-01T08:00:00'))).toBe(0);
    const [{ sent }] = await t.dataSource.query(`SELECT digest_sent_on::text AS sent FROM app_user WHERE id = $1`, [mediator]);
    expect(sent).toBe('2026-11-29');
    sink = await smtpSink(port);
    expect(await digest.sendDue(at('2026-12-01T08:05:00'))).toBe(1);
    expect(sink.mails.map((m) => m.subject)).toEqual(['1 notification non lue dans Casework']);
  });

  it('does not retry, nor log the address, when the server refuses the mailbox for good', async () => {
    await t.dataSource.query(`INSERT INTO notification (user_id, kind, referral_id) VALUES ($1, 'referral.withdrawn', $2)`, [mediator, referral]);
    const port = sink.port;
    await sink.close();
    sink = await smtpSink(port, 'mediator@vdab-antwerpen.demo');
    const logged: string[] = [];
    const spy = jest.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => void logged.push(String(message)));
    try {
      expect(await digest.sendDue(at('2026-12-02T08:00:00'))).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(logged).toHaveLength(1);
    expect(logged[0]).not.toContain('mediator@vdab-antwerpen.demo');
    expect(logged[0]).toContain('550');
    const [{ sent }] = await t.dataSource.query(`SELECT digest_sent_on::text AS sent FROM app_user WHERE id = $1`, [mediator]);
    expect(sent).toBe('2026-12-02'); // the day stays claimed: not retried on every poll
    expect(await digest.sendDue(at('2026-12-02T09:00:00'))).toBe(0);
  });

  it('stops when the user turns it off', async () => {
    await t.http.patch('/me/settings').set('Authorization', `Bearer ${mediatorToken}`).send({ dailyDigest: false });
    await t.dataSource.query(`UPDATE app_user SET digest_sent_on = NULL WHERE id = $1`, [mediator]);
    expect(await digest.sendDue(at('2026-12-03T08:00:00'))).toBe(0);
  });
});
