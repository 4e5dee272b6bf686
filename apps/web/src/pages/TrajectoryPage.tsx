import { Anchor, Badge, Button, Divider, Group, List, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link, useParams } from 'react-router';
import { api, problemText } from '../api/client';
import { useOrganisationName } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { purposeHeader, useSession } from '../session/session';
import { CASEWORKERS } from '../ui/Layout';
import { usePageTitle } from '../ui/usePageTitle';
import { ProblemAlert } from '../ui/ProblemAlert';
import { TrajectoryActivities } from '../ui/TrajectoryActivities';
import { TrajectoryCheckpoints } from '../ui/TrajectoryCheckpoints';
import { TrajectoryNotes } from '../ui/TrajectoryNotes';
import { TrajectoryObstacles } from '../ui/TrajectoryObstacles';
import { TrajectoryParticipants } from '../ui/TrajectoryParticipants';
import { TrajectoryStatusMoves } from '../ui/TrajectoryStatus';
import { changeProblem, rightsOf, useTrajectoryChange } from '../ui/trajectoryModel';

/**
 * A trajectory: its type, state, director and participants, and the work on it: status moves and the
 * type switch (director, or the executor of a mediation), obstacles, activities, the 6/12/18/24-month
 * checkpoints and notes (whoever takes part), and its history. Read for its purpose; every change sends
 * the version read, and a change someone else made in between is said plainly and reloaded.
 */
export function TrajectoryPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const session = useSession();
  const nameOf = useOrganisationName();
  // Opened without a purpose, a trajectory is read for MEDIATION (the trajectories of this workspace's
  // journeys): set once when the page opens, shown in the header, and the user's own choice stays
  const { purpose, setPurpose } = session;
  const opened = useRef(false);
  useEffect(() => {
    if (opened.current) return;
    opened.current = true;
    if (!purpose) setPurpose('MEDIATION');
  }, [purpose, setPurpose]);
  const trajectory = useQuery({
    queryKey: ['trajectory', id, purpose],
    enabled: Boolean(purpose),
    queryFn: async () => {
      const { data, error } = await api.GET('/trajectories/{id}', { params: { path: { id }, header: purposeHeader(purpose) } });
      if (error) throw error;
      return data;
    },
  });
  usePageTitle(trajectory.data ? t(`trajectoryType.${trajectory.data.type}`) : t('app.loading'));
  const move = useTrajectoryChange(id, purpose, (body: { to: 'ACTIVE'; version: number }) =>
    api.POST('/trajectories/{id}/transitions', { params: { path: { id } }, headers: purposeHeader(purpose), body }),
  );
  if (trajectory.isPending) return <Loader aria-label={t('app.loading')} />;
  if (trajectory.isError) return <ProblemAlert>{t('app.error', { detail: problemText(trajectory.error) })}</ProblemAlert>;
  const tr = trajectory.data;
  const organisationId = session.me?.organisation.id;
  const rights = rightsOf(tr, organisationId, Boolean(session.me?.roles.some((role) => CASEWORKERS.includes(role))));
  return (
    <Stack maw={820}>
      <Anchor component={Link} to={`/clients/${tr.personId}`} size="sm">
        {t('trajectory.client')}
      </Anchor>
      <Group>
        <Title order={1} size="h2">
          {t(`trajectoryType.${tr.type}`)}
        </Title>
        <Badge size="lg" variant="light">
          {t(`trajectoryStatus.${tr.status}`)}
        </Badge>
      </Group>
      <Text>{t('trajectory.director', { organisation: nameOf(tr.directorOrganisationId) })}</Text>
      {tr.startedAt && <Text>{t('trajectoryWork.startedOn', { on: new Date(tr.startedAt) })}</Text>}
      {tr.outcome && (
        <Text>{t('trajectoryWork.closedWith', { outcome: t(`trajectoryOutcome.${tr.outcome}`), on: new Date(tr.closedAt ?? tr.updatedAt) })}</Text>
      )}
      {tr.jobTarget && <Text>{t('trajectoryWork.jobTarget', { occupation: tr.jobTarget.occupation })}</Text>}
      {move.isError && <ProblemAlert focus>{changeProblem(move.error, t)}</ProblemAlert>}
      {tr.status === 'PLANNED' && rights.moves.includes('ACTIVE') && (
        <Button w="fit-content" loading={move.isPending} onClick={() => move.mutate({ to: 'ACTIVE', version: tr.version })}>
          {t('trajectory.start')}
        </Button>
      )}
      <TrajectoryStatusMoves trajectory={tr} purpose={purpose} moves={rights.moves} types={rights.types} />
      <TrajectoryParticipants trajectory={tr} purpose={purpose} canAdd={rights.addParticipant} />
      <Divider />
      <TrajectoryObstacles trajectory={tr} purpose={purpose} organisationId={organisationId} work={rights.work} />
      <Divider />
      <TrajectoryActivities trajectory={tr} purpose={purpose} organisationId={organisationId} work={rights.work} />
      <Divider />
      <TrajectoryCheckpoints trajectory={tr} purpose={purpose} organisationId={organisationId} followUp={rights.followUp} />
      <Divider />
      <TrajectoryNotes trajectoryId={tr.id} purpose={purpose} canWrite={rights.followUp} />
      <Divider />
      <section aria-labelledby="history">
        <Title order={2} size="h5" id="history">
          {t('trajectory.history')}
        </Title>
        <List>
          {tr.history.map((entry, index) => (
            <List.Item key={index}>
              {t('trajectory.historyEntry', {
                on: new Date(entry.at),
                change:
                  entry.kind === 'CREATED' ? t('trajectory.created') : t(entry.kind === 'TYPE' ? `trajectoryType.${entry.to}` : `trajectoryStatus.${entry.to}`),
                by: nameOf(entry.byOrganisationId),
              })}
              {entry.reason && ` ${t('trajectoryWork.historyReason', { reason: entry.reason })}`}
            </List.Item>
          ))}
        </List>
      </section>
    </Stack>
  );
}
