import { belgianToday } from '@app/kernel';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import nodemailer, { type Transporter } from 'nodemailer';
import { DataSource } from 'typeorm';
import { DEFAULT_LOCALE, isLocale, translate, type Locale } from '../http/i18n/messages.js';
import { notificationLink, notificationTitle } from './notification-text.js';

export const DIGEST_CONFIG = Symbol('DIGEST_CONFIG');
export interface DigestConfig {
  /** `smtp://user:pass@host:port` or `smtps://...`; undefined: no e-mail is sent */
  smtpUrl?: string;
  /** the From: address */
  from: string;
  /** the Brussels hour from which a day's digest goes out (0-23) */
  hour: number;
  /** where the links in the e-mail point (the service's public address) */
  publicUrl: string;
}

/** The most notifications one digest lists (the count says how many there are). */
export const DIGEST_MAX_ITEMS = 20;

const BRUSSELS_HOUR = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Brussels', hour: '2-digit', hourCycle: 'h23' });

/**
 * The daily e-mail digest (issue 14): once a Brussels day, from the configured hour on, every active
 * user who asked for it (`PATCH /me/settings {dailyDigest: true}`) and has unread notifications gets one
 * e-mail in their language with the titles and links of the newest of them. Titles say what happened,
 * never to whom: no client data leaves by e-mail. A user's day is claimed before the e-mail is sent and
 * released when sending fails, so a digest goes out at most once a day, also with several instances.
 */
@Injectable()
export class DailyDigest {
  private readonly logger = new Logger('DailyDigest');
  private readonly transport?: Transporter;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DIGEST_CONFIG) private readonly config: DigestConfig,
  ) {
    this.transport = config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : undefined;
  }

  get enabled(): boolean {
    return this.transport !== undefined;
  }

  /** Sends the digests due at `now`; answers how many were sent. */
  async sendDue(now: Date = new Date()): Promise<number> {
    if (!this.transport || Number(BRUSSELS_HOUR.format(now)) < this.config.hour) return 0;
    const today = belgianToday(now);
    const due: Array<{ id: string; email: string; display_name: string; language: string; last: string | null }> = await this.dataSource.query(
      `SELECT u.id, u.email, u.display_name, coalesce(u.preferred_language, o.default_language) AS language, u.digest_sent_on::text AS last
         FROM app_user u JOIN organisation o ON o.id = u.organisation_id AND o.active
        WHERE u.active AND u.daily_digest AND (u.digest_sent_on IS NULL OR u.digest_sent_on < $1)
          AND EXISTS (SELECT 1 FROM notification n WHERE n.user_id = u.id AND n.read_at IS NULL)
        ORDER BY u.id`,
      [today],
    );
    let sent = 0;
    for (const user of due) {
      const claimed = await this.dataSource.query(
        `UPDATE app_user SET digest_sent_on = $2 WHERE id = $1 AND (digest_sent_on IS NULL OR digest_sent_on < $2) RETURNING id`,
        [user.id, today],
      );
      if (claimed.length === 0) continue; // another instance took it
      try {
        await this.send(user, isLocale(user.language) ? user.language : DEFAULT_LOCALE);
        sent++;
      } catch (error) {
        // The server's answer names the address: only its codes are logged. A permanent refusal (5xx:
        // no such mailbox) keeps the day claimed, so it is not retried and logged on every poll.
        const { code, responseCode } = error as { code?: string; responseCode?: number };
        const permanent = typeof responseCode === 'number' && responseCode >= 500;
        if (!permanent) {
          await this.dataSource.query(`UPDATE app_user SET digest_sent_on = $2 WHERE id = $1 AND digest_sent_on = $3`, [user.id, user.last, today]);
        }
        this.logger.error(
          `daily digest for user ${user.id} not sent (${code ?? 'error'} ${responseCode ?? ''}); ${permanent ? 'not retried today' : 'retried'}`,
        );
      }
    }
    return sent;
  }

  private async send(user: { id: string; email: string; display_name: string }, locale: Locale): Promise<void> {
    const [{ unread }] = await this.dataSource.query(`SELECT count(*)::int AS unread FROM notification WHERE user_id = $1 AND read_at IS NULL`, [user.id]);
    const newest: Array<{ kind: string; referral_id: string | null; agreement_id: string | null; person_id: string | null; created_at: Date }> =
      await this.dataSource.query(
        `SELECT kind, referral_id, agreement_id, person_id, created_at FROM notification
          WHERE user_id = $1 AND read_at IS NULL ORDER BY created_at DESC, id LIMIT $2`,
        [user.id, DIGEST_MAX_ITEMS],
      );
    const say = (key: string, params?: Record<string, unknown>) => translate(locale, key, params) ?? key;
    const base = this.config.publicUrl.replace(/\/+$/, '');
    const items = newest.map((n) => {
      const link = notificationLink({ referralId: n.referral_id, agreementId: n.agreement_id, clientId: n.person_id });
      return say('digest.item', { title: notificationTitle(n.kind, locale), at: n.created_at, link: link ? `${base}${link}` : '' }).trim();
    });
    const text = [
      say('digest.greeting', { name: user.display_name }),
      '',
      say('digest.intro', { count: unread }),
      '',
      ...items.map((item) => `- ${item}`),
      ...(unread > newest.length ? ['', say('digest.more', { count: unread - newest.length, url: `${base}/notifications?unread=true` })] : []),
      '',
      say('digest.footer'),
    ].join('\n');
    await this.transport!.sendMail({ from: this.config.from, to: user.email, subject: say('digest.subject', { count: unread }), text });
  }
}
