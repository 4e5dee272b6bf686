import { Badge } from '@mantine/core';
import type { Schemas } from '../api/client';
import { formatDay, type Translate } from '../i18n/i18n';

export type Agreement = Schemas['AgreementDto'];
export type AgreementOrExistence = Schemas['AgreementDto'] | Schemas['AgreementExistenceDto'];

export const isFull = (a: AgreementOrExistence): a is Agreement => 'parties' in a;

// the dot carries the colour, the text stays dark (coloured text on white misses 4.5:1 for orange and green)
const COLOURS: Record<string, string> = { PENDING: 'orange', SCHEDULED: 'blue', ACTIVE: 'green', EXPIRED: 'gray', TERMINATED: 'red' };

/** The agreement's state as a badge: waiting for confirmation, confirmed but not yet begun, in force, over, ended. */
export function AgreementStatus({ status, t }: { status: string; t: Translate }) {
  return (
    // never cut off to "L…" in a narrow table column: the state is the point of the badge
    <Badge variant="dot" color={COLOURS[status] ?? 'gray'} styles={{ root: { overflow: 'visible', maxWidth: 'none' }, label: { overflow: 'visible' } }}>
      {t(`agreementStatus.${status}`)}
    </Badge>
  );
}

/** Who must act next on the agreement, in one sentence: a party that has not confirmed yet, or nobody. */
export function nextStep(a: Agreement, me: string, nameOf: (id: string) => string, t: Translate, locale: string): string {
  switch (a.status) {
    case 'PENDING': {
      const waiting = a.parties.filter((p) => !p.confirmedAt).map((p) => p.organisationId);
      if (waiting.includes(me)) {
        const others = waiting.filter((id) => id !== me);
        return others.length === 0 ? t('agreement.next.youLast') : t('agreement.next.youAndOthers', { others: others.map(nameOf).join(', ') });
      }
      return t('agreement.next.waiting', { others: waiting.map(nameOf).join(', ') });
    }
    case 'SCHEDULED':
      return t('agreement.next.scheduled', { day: formatDay(a.validFrom, locale) });
    case 'ACTIVE':
      return t('agreement.next.active', { day: formatDay(a.validUntil, locale) });
    case 'EXPIRED':
      return t('agreement.next.expired', { day: formatDay(a.validUntil, locale) });
    default:
      return t('agreement.next.terminated', {
        organisation: nameOf(a.terminatedByOrganisationId ?? ''),
        on: a.terminatedAt ? new Date(a.terminatedAt) : new Date(),
      });
  }
}
