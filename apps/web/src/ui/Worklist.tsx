import { Anchor, Badge, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, problemText, type Schemas } from '../api/client';
import { formatDay, useI18n } from '../i18n/i18n';
import { ProblemAlert } from './ProblemAlert';

type Due = Schemas['WorklistItemDto'];
const SHOWN = 8;

function pageOf(item: Due): string | null {
  if (item.referralId) return `/handovers/${item.referralId}`;
  if (item.trajectoryId) return `/trajectories/${item.trajectoryId}`;
  if (item.clientId) return `/clients/${item.clientId}`;
  return null;
}

/** What falls due for me within 90 days, overdue first: answers, questions, signal reviews, intakes, checkpoints, agreements ending. */
export function Worklist() {
  const { t, locale } = useI18n();
  const worklist = useQuery({
    queryKey: ['worklist'],
    queryFn: async () => {
      const { data, error } = await api.GET('/me/worklist');
      if (error) throw error;
      return data;
    },
  });
  if (worklist.isError) return <ProblemAlert>{t('app.error', { detail: problemText(worklist.error) })}</ProblemAlert>;
  const due = worklist.data?.due ?? [];
  return (
    <Stack component="section" aria-labelledby="worklist" gap="xs">
      <Title order={2} size="h4" id="worklist">
        {t('worklist.title', { count: due.length })}
      </Title>
      {worklist.data && due.length === 0 && <Text>{t('worklist.none')}</Text>}
      <Stack component="ul" gap={4} p={0} m={0} style={{ listStyle: 'none' }}>
        {due.slice(0, SHOWN).map((item, index) => {
          const to = pageOf(item);
          const what = t(`worklist.${item.kind}`, { client: item.clientName ?? t('clients.unnamed') });
          return (
            <Group component="li" key={`${item.kind}-${item.referralId ?? item.trajectoryId ?? item.agreementId}-${index}`} gap="xs">
              {item.overdue ? (
                <Badge color="red">{t('handovers.overdue')}</Badge>
              ) : (
                <Badge variant="light" color="gray">
                  {formatDay(item.dueOn, locale)}
                </Badge>
              )}
              {to ? (
                <Anchor component={Link} to={to}>
                  {what}
                </Anchor>
              ) : (
                <Text>{what}</Text>
              )}
              {item.overdue && <Text size="sm">{t('worklist.dueOn', { day: formatDay(item.dueOn, locale) })}</Text>}
            </Group>
          );
        })}
      </Stack>
      {due.length > SHOWN && <Text size="sm">{t('worklist.more', { count: due.length - SHOWN })}</Text>}
    </Stack>
  );
}
