import type { Notification } from '@app/domain';
import { translate, type Locale } from '../http/i18n/messages.js';

/** The path of what a notification is about, in this API (and, one day, the web workspace). */
export function notificationLink(n: Pick<Notification, 'referralId' | 'agreementId' | 'clientId'>): string | null {
  return n.referralId ? `/handovers/${n.referralId}` : n.agreementId ? `/agreements/${n.agreementId}` : n.clientId ? `/clients/${n.clientId}` : null;
}

/** The title of a notification in the reader's language. Titles name what happened, never a client. */
export function notificationTitle(kind: string, locale: Locale): string {
  return translate(locale, `notification.${kind}`) ?? kind;
}
