import { Button, Card, Group, NativeSelect, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { api, type Purpose } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { purposeHeader } from '../session/session';
import { ProblemAlert } from './ProblemAlert';
import {
  changeProblem,
  startOver,
  ITW_TYPES,
  TRAJECTORY_OUTCOMES,
  useTrajectoryChange,
  type Trajectory,
  type TrajectoryOutcome,
  type TrajectoryStatus,
  type TrajectoryType,
} from './trajectoryModel';

/**
 * The status moves the caller may make from the current status (only those), each with the reason kept
 * in the history; completing or stopping asks the outcome. Then the type switch, e.g. the Integration
 * Through Work screening moving a newcomer from quick mediation to an integrated pathway, with its reason.
 * Both send the version read; a change made by someone else in between is said plainly and reloaded.
 */
export function TrajectoryStatusMoves({
  trajectory,
  purpose,
  moves,
  types,
}: {
  trajectory: Trajectory;
  purpose: Purpose | null;
  moves: readonly TrajectoryStatus[];
  types: readonly TrajectoryType[];
}) {
  const { t } = useI18n();
  const offered = trajectory.status === 'PLANNED' ? moves.filter((m) => m !== 'ACTIVE') : moves; // starting has its own button
  const [to, setTo] = useState<TrajectoryStatus | ''>('');
  const chosen = to && offered.includes(to) ? to : (offered[0] ?? '');
  const closing = chosen === 'COMPLETED' || chosen === 'STOPPED';
  const move = useTrajectoryChange(trajectory.id, purpose, (body: { to: TrajectoryStatus; reason?: string; outcome?: TrajectoryOutcome; version: number }) =>
    api.POST('/trajectories/{id}/transitions', { params: { path: { id: trajectory.id } }, headers: purposeHeader(purpose), body }),
  );
  const retype = useTrajectoryChange(trajectory.id, purpose, (body: { type: TrajectoryType; reason: string; version: number }) =>
    api.POST('/trajectories/{id}/type', { params: { path: { id: trajectory.id } }, headers: purposeHeader(purpose), body }),
  );
  const submitMove = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const reason = String(form.get('reason') ?? '').trim();
    const target = event.currentTarget;
    move.mutate(
      {
        to: chosen as TrajectoryStatus,
        reason: reason || undefined,
        outcome: closing ? (String(form.get('outcome')) as TrajectoryOutcome) : undefined,
        version: trajectory.version,
      },
      { onSuccess: () => startOver(target, 'to') },
    );
  };
  const submitType = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const target = event.currentTarget;
    retype.mutate(
      { type: String(form.get('type')) as TrajectoryType, reason: String(form.get('reason') ?? '').trim(), version: trajectory.version },
      { onSuccess: () => startOver(target, 'type') },
    );
  };
  const screening = types.every((type) => ITW_TYPES.includes(type));
  if (offered.length === 0 && types.length === 0) return null;
  return (
    <Stack gap="sm">
      {offered.length > 0 && (
        <Card withBorder component="section" aria-labelledby="trajectory-status">
          <form onSubmit={submitMove} noValidate>
            <Stack gap="xs">
              <Title order={2} size="h5" id="trajectory-status">
                {t('trajectoryWork.statusTitle')}
              </Title>
              {move.isError && <ProblemAlert focus>{changeProblem(move.error, t)}</ProblemAlert>}
              <NativeSelect
                name="to"
                label={t('trajectoryWork.moveTo')}
                value={chosen}
                onChange={(event) => setTo(event.currentTarget.value as TrajectoryStatus)}
                data={offered.map((m) => ({ value: m, label: t(`trajectoryMove.${m}`) }))}
              />
              {closing && (
                <NativeSelect
                  name="outcome"
                  label={t('trajectoryWork.outcome')}
                  description={t('trajectoryWork.outcomeHelp')}
                  required
                  data={TRAJECTORY_OUTCOMES.map((o) => ({ value: o, label: t(`trajectoryOutcome.${o}`) }))}
                />
              )}
              <Textarea name="reason" label={t('trajectoryWork.reason')} description={t('trajectoryWork.reasonHelp')} autosize minRows={2} maxLength={2000} />
              <Group>
                <Button type="submit" loading={move.isPending} color={chosen === 'STOPPED' ? 'red' : undefined}>
                  {t(`trajectoryMove.${chosen}`)}
                </Button>
              </Group>
            </Stack>
          </form>
        </Card>
      )}
      {types.length > 0 && (
        <Card withBorder component="section" aria-labelledby="trajectory-type">
          <form onSubmit={submitType} noValidate>
            <Stack gap="xs">
              <Title order={2} size="h5" id="trajectory-type">
                {t('trajectoryWork.typeTitle')}
              </Title>
              {screening && <Text size="sm">{t('trajectoryWork.typeScreening')}</Text>}
              {retype.isError && <ProblemAlert focus>{changeProblem(retype.error, t)}</ProblemAlert>}
              <NativeSelect name="type" label={t('trajectoryWork.newType')} data={types.map((type) => ({ value: type, label: t(`trajectoryType.${type}`) }))} />
              <Textarea
                name="reason"
                label={t('trajectoryWork.typeReason')}
                description={t('trajectoryWork.typeReasonHelp')}
                required
                autosize
                minRows={2}
                minLength={3}
                maxLength={2000}
              />
              <Group>
                <Button type="submit" variant="default" loading={retype.isPending}>
                  {t('trajectoryWork.changeType')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Card>
      )}
    </Stack>
  );
}
