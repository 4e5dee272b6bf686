import type { Referral } from '@app/domain';
import { createEvent } from 'ics';

/** How long an intake is planned for when only its start is known. */
const INTAKE_MINUTES = 60;

/**
 * The confirmed three-way intake as an iCalendar event (RFC 5545, built with the `ics` package): a
 * timed event in Brussels time when a time was confirmed, an all-day event otherwise. No client data:
 * the event names the handover, and its link opens it for whoever may read it.
 */
export function intakeEvent(referral: Referral): string {
  const intake = referral.intake!;
  const [year, month, day] = intake.date.split('-').map(Number);
  const timed = intake.time !== null;
  const [hour, minute] = timed ? intake.time!.split(':').map(Number) : [0, 0];
  const { error, value } = createEvent({
    uid: `intake-${referral.id}@casework`,
    title: 'Intake warme overdracht',
    description: `Driegesprek bij overdracht ${referral.id}. Open de overdracht in Casework voor de details.`,
    start: timed ? [year, month, day, hour, minute] : [year, month, day],
    startInputType: 'local',
    startOutputType: 'local',
    ...(timed ? { duration: { minutes: INTAKE_MINUTES } } : { end: nextDay(year, month, day) }),
    url: undefined,
    status: 'CONFIRMED',
    productId: 'casework/intake',
    calName: 'Casework',
  });
  if (error || !value) throw error ?? new Error('intake event not built');
  return value;
}

function nextDay(year: number, month: number, day: number): [number, number, number] {
  const next = new Date(Date.UTC(year, month - 1, day + 1));
  return [next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()];
}
