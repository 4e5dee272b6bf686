import { Button, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, download, problemText, type Problem, type Schemas } from '../api/client';
import { useOrganisationName } from '../api/hooks';
import { formatDay, useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { focusHeading } from './focus';
import { ProblemAlert } from './ProblemAlert';

type Handover = Schemas['ReferralDto'];
type Step = { kind: 'accept' | 'acknowledge' | 'withdraw' } | { kind: 'intake'; date: string; time?: string };

/**
 * What each side can do with a handover now, and nothing else: the receiver accepts a warm handover or
 * takes note of a signal, the sender withdraws (which lifts a signal), and the side that did not propose
 * the intake dates confirms one. Every step names the version read; a change in between is a 409,
 * shown as it comes.
 */
export function HandoverActions({ handover: h }: { handover: Handover }) {
  const { t, locale } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const nameOf = useOrganisationName();
  const [downloadProblem, setDownloadProblem] = useState<Problem | null>(null);
  // withdrawing cannot be undone: a second click, on a button that says so, carries it out
  const [withdrawing, setWithdrawing] = useState(false);
  const step = useMutation({
    mutationFn: async (action: Step) => {
      const path = { params: { path: { id: h.id } } };
      const { data, error } =
        action.kind === 'intake'
          ? await api.POST('/handovers/{id}/intake', { ...path, body: { version: h.version, date: action.date, time: action.time || undefined } })
          : action.kind === 'accept'
            ? await api.POST('/handovers/{id}/accept', { ...path, body: { version: h.version }, headers: { 'Idempotency-Key': crypto.randomUUID() } })
            : await api.POST(`/handovers/{id}/${action.kind}`, { ...path, body: { version: h.version } });
      if (error) throw error;
      return data;
    },
    onSuccess: async (changed) => {
      queries.setQueryData(['handover', h.id], changed);
      // the button pressed may be gone: the keyboard continues at the page's heading, which shows the new state
      focusHeading();
      await Promise.all(['handovers', 'worklist', 'notifications'].map((key) => queries.invalidateQueries({ queryKey: [key] })));
    },
  });
  const me = session.me?.organisation.id;
  const receiving = h.toOrganisationId === me;
  const sending = h.fromOrganisationId === me;
  const open = h.status === 'SENT' || h.status === 'INFO_REQUESTED';
  const signal = h.kind === 'NOT_YET_READY';
  const purpose = h.kind === 'ADVICE_REQUEST' ? 'ADVICE' : 'MEDIATION';
  const confirmable = !signal && !h.intake && h.proposedIntakeDates.length > 0 && h.intakeProposedByOrganisationId !== me && (open || h.status === 'ACCEPTED');
  const withdrawable = sending && (open || (signal && h.status === 'ACKNOWLEDGED'));

  const confirm = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    step.mutate({ kind: 'intake', date: String(form.get('date')), time: String(form.get('time') ?? '') });
  };
  return (
    <Stack>
      {signal && h.reviewDate && <Text>{t('signal.until', { day: formatDay(h.reviewDate, locale) })}</Text>}
      {h.proposedIntakeDates.length > 0 && !h.intake && (
        <Text>
          {t('handover.proposedBy', {
            days: h.proposedIntakeDates.map((d) => formatDay(d, locale)).join(', '),
            organisation: nameOf(h.intakeProposedByOrganisationId ?? h.fromOrganisationId),
          })}
        </Text>
      )}
      {h.intake && (
        <Group>
          <Text>{t('intake.confirmed', { day: formatDay(h.intake.date, locale), time: h.intake.time ?? '' })}</Text>
          <Button variant="subtle" onClick={async () => setDownloadProblem(await download(`/handovers/${h.id}/intake.ics`, 'driegesprek.ics'))}>
            {t('intake.calendar')}
          </Button>
        </Group>
      )}
      {downloadProblem && <ProblemAlert focus>{problemText(downloadProblem)}</ProblemAlert>}
      {confirmable && (
        <form onSubmit={confirm} aria-labelledby="intake-confirm">
          <Title order={2} size="h5" id="intake-confirm">
            {t('intake.title')}
          </Title>
          <Group align="end">
            <NativeSelect name="date" label={t('intake.date')} data={h.proposedIntakeDates.map((d) => ({ value: d, label: formatDay(d, locale) }))} />
            <TextInput name="time" type="time" label={t('intake.time')} />
            <Button type="submit" variant="default" loading={step.isPending && step.variables?.kind === 'intake'}>
              {t('intake.confirm')}
            </Button>
          </Group>
        </form>
      )}
      {step.isError && <ProblemAlert focus>{problemText(step.error)}</ProblemAlert>}
      <Group>
        {receiving && (open || h.status === 'ACCEPTED' || h.status === 'ACKNOWLEDGED') && (
          <Button
            variant="default"
            onClick={() => {
              session.setPurpose(purpose);
              void navigate(`/clients/${h.clientId}`);
            }}
          >
            {t('handover.readData', { purpose: t(`purpose.${purpose}`) })}
          </Button>
        )}
        {receiving && open && !signal && (
          <Button loading={step.isPending && step.variables?.kind === 'accept'} onClick={() => step.mutate({ kind: 'accept' })}>
            {t('handover.accept')}
          </Button>
        )}
        {receiving && signal && h.status === 'SENT' && (
          <Button loading={step.isPending && step.variables?.kind === 'acknowledge'} onClick={() => step.mutate({ kind: 'acknowledge' })}>
            {t('signal.acknowledge')}
          </Button>
        )}
        {withdrawable && (
          <Button
            variant="default"
            color="red"
            loading={step.isPending && step.variables?.kind === 'withdraw'}
            onClick={() => (withdrawing ? step.mutate({ kind: 'withdraw' }) : setWithdrawing(true))}
            onBlur={() => !step.isPending && setWithdrawing(false)}
          >
            {withdrawing ? t('handover.withdrawSure') : signal ? t('signal.lift') : t('handover.withdraw')}
          </Button>
        )}
        {h.trajectoryId && (
          <Button component={Link} to={`/trajectories/${h.trajectoryId}`} variant={receiving ? 'filled' : 'default'}>
            {t('handover.trajectory')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}
