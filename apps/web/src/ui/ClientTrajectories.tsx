import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, problemText } from '../api/client';
import { useOrganisationName } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { purposeHeader, useSession } from '../session/session';
import { ProblemAlert } from './ProblemAlert';

/** The client's trajectories the caller may see (ours, and partners' under the purpose on screen), each opening its page. */
export function ClientTrajectories({ clientId }: { clientId: string }) {
  const { t } = useI18n();
  const { purpose } = useSession();
  const nameOf = useOrganisationName();
  const trajectories = useQuery({
    queryKey: ['client-trajectories', clientId, purpose],
    queryFn: async () => {
      const { data, error } = await api.GET('/clients/{id}/trajectories', { params: { path: { id: clientId }, header: purposeHeader(purpose) } });
      if (error) throw error;
      return data;
    },
  });
  if (trajectories.isError) return <ProblemAlert>{t('app.error', { detail: problemText(trajectories.error) })}</ProblemAlert>;
  if (trajectories.data?.length === 0) return <Text>{t('trajectories.none')}</Text>;
  return (
    <Stack component="ul" gap="xs" p={0} style={{ listStyle: 'none' }}>
      {trajectories.data?.map((tr) => (
        <Group component="li" key={tr.id} gap="xs">
          <Anchor component={Link} to={`/trajectories/${tr.id}`}>
            {t(`trajectoryType.${tr.type}`)}
          </Anchor>
          <Badge variant="light">{t(`trajectoryStatus.${tr.status}`)}</Badge>
          <Text size="sm">{t('trajectory.director', { organisation: nameOf(tr.directorOrganisationId) })}</Text>
        </Group>
      ))}
    </Stack>
  );
}
