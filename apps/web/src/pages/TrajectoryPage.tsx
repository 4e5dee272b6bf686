import { Anchor, Badge, Button, Group, List, Loader, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link, useParams } from 'react-router';
import { api, problemText } from '../api/client';
import { useOrganisationName } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { purposeHeader, useSession } from '../session/session';
import { usePageTitle } from '../ui/usePageTitle';
import { ProblemAlert } from '../ui/ProblemAlert';

/** A trajectory: its type, state, director and participants, its history; the executor starts it. Read for its purpose. */
export function TrajectoryPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const session = useSession();
  const queries = useQueryClient();
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
  const move = useMutation({
    mutationFn: async ({ to, version }: { to: 'ACTIVE'; version: number }) => {
      const { data, error } = await api.POST('/trajectories/{id}/transitions', {
        params: { path: { id } },
        headers: purposeHeader(purpose),
        body: { to, version },
      });
      if (error) throw error;
      return data;
    },
    onSuccess: (moved) => queries.setQueryData(['trajectory', id, purpose], moved),
  });
  if (trajectory.isPending) return <Loader aria-label={t('app.loading')} />;
  if (trajectory.isError) return <ProblemAlert>{t('app.error', { detail: problemText(trajectory.error) })}</ProblemAlert>;
  const tr = trajectory.data;
  const executing = tr.participants.some((p) => p.organisationId === session.me?.organisation.id && p.capacity === 'EXECUTOR');
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
      <section aria-labelledby="participants">
        <Title order={2} size="h5" id="participants">
          {t('trajectory.participants')}
        </Title>
        <List>
          {tr.participants.map((p) => (
            <List.Item key={`${p.organisationId}-${p.capacity}`}>
              {nameOf(p.organisationId)}: {t(`capacity.${p.capacity}`)}
            </List.Item>
          ))}
        </List>
      </section>
      {move.isError && <ProblemAlert focus>{problemText(move.error)}</ProblemAlert>}
      {executing && tr.status === 'PLANNED' && (
        <Button w="fit-content" loading={move.isPending} onClick={() => move.mutate({ to: 'ACTIVE', version: tr.version })}>
          {t('trajectory.start')}
        </Button>
      )}
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
            </List.Item>
          ))}
        </List>
      </section>
    </Stack>
  );
}
