import { Anchor, Badge, Button, Card, Group, Loader, Stack, Switch, Text, Title } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, problemText, type Schemas } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { focusHeading } from '../ui/focus';
import { ProblemAlert } from '../ui/ProblemAlert';
import { usePageTitle } from '../ui/usePageTitle';

type Notification = Schemas['NotificationDto'];

/** The pages of this workspace a notification's API path opens (an agreement's has none here yet). */
function pageOf(notification: Notification): string | null {
  return notification.link && /^\/(handovers|trajectories|clients)\/[0-9a-f-]{36}$/i.test(notification.link) ? notification.link : null;
}

/** What happened to my handovers, trajectories and agreements, newest first; opening one marks it read. */
export function NotificationsPage() {
  const { t } = useI18n();
  const queries = useQueryClient();
  const [unreadOnly, setUnreadOnly] = useState(false);
  usePageTitle(t('notifications.title'));
  const notifications = useInfiniteQuery({
    queryKey: ['notifications', 'list', unreadOnly],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) => {
      const { data, error } = await api.GET('/notifications', { params: { query: { unread: unreadOnly || undefined, cursor: pageParam, limit: 50 } } });
      if (error) throw error;
      return data;
    },
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const read = useMutation({
    mutationFn: async (id: string) => {
      const { data, error } = await api.POST('/notifications/{id}/read', { params: { path: { id } } });
      if (error) throw error;
      return data;
    },
    onSuccess: () => {
      focusHeading();
      return queries.invalidateQueries({ queryKey: ['notifications'] });
    },
  });
  const items = notifications.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack maw={820}>
      <Title order={1} size="h2">
        {t('notifications.title')}
      </Title>
      <Switch label={t('notifications.unreadOnly')} checked={unreadOnly} onChange={(event) => setUnreadOnly(event.currentTarget.checked)} />
      {notifications.isError && <ProblemAlert>{t('app.error', { detail: problemText(notifications.error) })}</ProblemAlert>}
      {read.isError && <ProblemAlert focus>{problemText(read.error)}</ProblemAlert>}
      {notifications.isPending ? (
        <Loader aria-label={t('app.loading')} />
      ) : items.length === 0 ? (
        <Text>{t('notifications.none')}</Text>
      ) : (
        <Stack component="ul" gap="xs" p={0} style={{ listStyle: 'none' }} aria-label={t('notifications.title')}>
          {items.map((n) => {
            const to = pageOf(n);
            return (
              <Card component="li" withBorder key={n.id} py="xs">
                <Group justify="space-between" wrap="nowrap">
                  <Stack gap={2}>
                    <Group gap="xs">
                      {!n.readAt && (
                        <Badge size="sm" color="blue">
                          {t('notifications.new')}
                        </Badge>
                      )}
                      {to ? (
                        <Anchor component={Link} to={to} fw={n.readAt ? 400 : 600} onClick={() => !n.readAt && read.mutate(n.id)}>
                          {n.title}
                        </Anchor>
                      ) : (
                        <Text fw={n.readAt ? 400 : 600}>{n.title}</Text>
                      )}
                    </Group>
                    <Text size="sm" c="dimmed">
                      {t('notifications.on', { on: new Date(n.createdAt) })}
                    </Text>
                  </Stack>
                  {!n.readAt && (
                    <Button size="xs" variant="subtle" onClick={() => read.mutate(n.id)} aria-label={t('notifications.markReadOf', { title: n.title })}>
                      {t('notifications.markRead')}
                    </Button>
                  )}
                </Group>
              </Card>
            );
          })}
        </Stack>
      )}
      {notifications.hasNextPage && (
        <Button variant="default" w="fit-content" loading={notifications.isFetchingNextPage} onClick={() => void notifications.fetchNextPage()}>
          {t('clients.more')}
        </Button>
      )}
    </Stack>
  );
}
