import { Anchor, Badge, Card, Group, List, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, problemText } from '../api/client';
import { useOrganisationName } from '../api/hooks';
import { formatDay, useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { usePageTitle } from '../ui/usePageTitle';
import { HandoverActions } from '../ui/HandoverActions';
import { HandoverConversation } from '../ui/HandoverConversation';
import { ProblemAlert } from '../ui/ProblemAlert';

/**
 * One handover as either side sees it: what is offered, the sender's note and contact card, the
 * documents, the state and deadline. The receiver reads the offered data (for the handover's purpose,
 * set on screen by opening it from here) and accepts; accepting plans the trajectory. What either side
 * can do next is in ui/HandoverActions.tsx.
 */
export function HandoverPage() {
  const { id = '' } = useParams();
  const { t, locale } = useI18n();
  const session = useSession();
  const nameOf = useOrganisationName();
  const handover = useQuery({
    queryKey: ['handover', id],
    queryFn: async () => {
      const { data, error } = await api.GET('/handovers/{id}', { params: { path: { id } } });
      if (error) throw error;
      return data;
    },
  });
  usePageTitle(handover.data ? t(`kind.${handover.data.kind}`) : t('app.loading'));
  if (handover.isPending) return <Loader aria-label={t('app.loading')} />;
  if (handover.isError) return <ProblemAlert>{t('app.error', { detail: problemText(handover.error) })}</ProblemAlert>;
  const h = handover.data;
  const receiving = h.toOrganisationId === session.me?.organisation.id;
  const sender = h.sender as { displayName?: string; email?: string; workPhone?: string; organisationName?: string } | null;
  return (
    <Stack maw={820}>
      <Anchor component={Link} to="/handovers" size="sm">
        {t('handover.back')}
      </Anchor>
      <Group>
        <Title order={1} size="h2">
          {t(`kind.${h.kind}`)}
        </Title>
        <Badge variant="light" size="lg">
          {t(`status.${h.status}`)}
        </Badge>
        {h.overdue && <Badge color="red">{t('handovers.overdue')}</Badge>}
      </Group>
      <Text>
        {t('handover.fromTo', { from: nameOf(h.fromOrganisationId), to: nameOf(h.toOrganisationId) })}
        {h.dueDate ? ` ${t('handover.dueOn', { day: formatDay(h.dueDate, locale) })}` : ''}
      </Text>
      {sender && (
        <Card withBorder component="section" aria-labelledby="sender">
          <Title order={2} size="h5" id="sender">
            {t('handover.sender')}
          </Title>
          <Text>
            {sender.displayName}, {sender.organisationName}
          </Text>
          {sender.email && <Anchor href={`mailto:${sender.email}`}>{sender.email}</Anchor>}
          {sender.workPhone && <Text>{sender.workPhone}</Text>}
        </Card>
      )}
      <section aria-labelledby="offered">
        <Title order={2} size="h5" id="offered">
          {t('handover.offered')}
        </Title>
        <List>
          {h.categories.map((c) => (
            <List.Item key={c}>{t(`category.${c}`)}</List.Item>
          ))}
        </List>
      </section>
      {!h.noteWithheld && h.note && (
        <section aria-labelledby="note">
          <Title order={2} size="h5" id="note">
            {t('handover.note')}
          </Title>
          <Text style={{ whiteSpace: 'pre-wrap' }}>{h.note}</Text>
        </section>
      )}
      {h.documents.length > 0 && (
        <section aria-labelledby="documents">
          <Title order={2} size="h5" id="documents">
            {t('handover.documents')}
          </Title>
          <List>
            {h.documents.map((d) => (
              <List.Item key={d.id}>{d.fileName}</List.Item>
            ))}
          </List>
        </section>
      )}
      <HandoverConversation handover={h} receiving={receiving} />
      <HandoverActions handover={h} />
    </Stack>
  );
}
