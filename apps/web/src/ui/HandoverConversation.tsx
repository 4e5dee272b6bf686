import { Button, Card, Group, List, NativeSelect, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, problemText, type Schemas } from '../api/client';
import { useOrganisationName } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { ProblemAlert } from './ProblemAlert';

type Handover = Schemas['ReferralDto'];
const DECLINE_REASONS = ['NO_CAPACITY', 'NOT_IN_SCOPE', 'CLIENT_NOT_REACHABLE', 'INSUFFICIENT_INFORMATION', 'CLIENT_DECLINED', 'OTHER'] as const;

/**
 * The handover's conversation, and the answers that change its state: the receiver asks for more
 * information or declines with a reason code; the sender answers a question. Each step sends the
 * version it read (a colleague's step in between is a 409, shown as it comes).
 */
export function HandoverConversation({ handover, receiving }: { handover: Handover; receiving: boolean }) {
  const { t } = useI18n();
  const queries = useQueryClient();
  const nameOf = useOrganisationName();
  const [declining, setDeclining] = useState(false);
  const thread = useQuery({
    queryKey: ['handover-thread', handover.id],
    queryFn: async () => {
      const { data, error } = await api.GET('/handovers/{id}/messages', { params: { path: { id: handover.id } } });
      if (error) throw error;
      return data;
    },
  });
  const step = useMutation({
    mutationFn: async (
      action: { kind: 'request-info' | 'answer'; text: string } | { kind: 'decline'; reasonCode: (typeof DECLINE_REASONS)[number]; reason?: string },
    ) => {
      const path = { params: { path: { id: handover.id } } };
      const version = handover.version;
      const { data, error } =
        action.kind === 'decline'
          ? await api.POST('/handovers/{id}/decline', { ...path, body: { version, reasonCode: action.reasonCode, reason: action.reason } })
          : action.kind === 'request-info'
            ? await api.POST('/handovers/{id}/request-info', { ...path, body: { version, question: action.text } })
            : await api.POST('/handovers/{id}/answer', { ...path, body: { version, answer: action.text } });
      if (error) throw error;
      return data;
    },
    onSuccess: async (changed) => {
      queries.setQueryData(['handover', handover.id], changed);
      setDeclining(false);
      await queries.invalidateQueries({ queryKey: ['handover-thread', handover.id] });
      await queries.invalidateQueries({ queryKey: ['handovers'] });
    },
  });
  const text = (event: FormEvent<HTMLFormElement>, name: string) => {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get(name) ?? '').trim();
    event.currentTarget.reset();
    return value;
  };
  const askable = receiving && handover.status === 'SENT' && handover.kind !== 'NOT_YET_READY';
  const answerable = !receiving && handover.status === 'INFO_REQUESTED';
  const declinable = receiving && (handover.status === 'SENT' || handover.status === 'INFO_REQUESTED') && handover.kind !== 'NOT_YET_READY';
  const messages = thread.data?.items ?? [];
  return (
    <Stack component="section" aria-labelledby="conversation" gap="xs">
      <Title order={2} size="h5" id="conversation">
        {t('conversation.title')}
      </Title>
      {thread.data?.withheld ? (
        <Text size="sm">{t('conversation.withheld')}</Text>
      ) : messages.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('conversation.empty')}
        </Text>
      ) : (
        <List>
          {messages.map((m) => (
            <List.Item key={m.id}>
              {t('conversation.line', { kind: t(`conversation.${m.kind}`), organisation: nameOf(m.organisationId), on: new Date(m.createdAt) })}: {m.body}
            </List.Item>
          ))}
        </List>
      )}
      {step.isError && <ProblemAlert focus>{problemText(step.error)}</ProblemAlert>}
      {askable && (
        <form onSubmit={(event) => step.mutate({ kind: 'request-info', text: text(event, 'question') })}>
          <Group align="end">
            <Textarea name="question" label={t('conversation.ask')} autosize minRows={2} style={{ flex: 1 }} required />
            <Button type="submit" variant="default" loading={step.isPending}>
              {t('conversation.send')}
            </Button>
          </Group>
        </form>
      )}
      {answerable && (
        <form onSubmit={(event) => step.mutate({ kind: 'answer', text: text(event, 'answer') })}>
          <Group align="end">
            <Textarea name="answer" label={t('conversation.answer')} autosize minRows={2} style={{ flex: 1 }} required />
            <Button type="submit" loading={step.isPending}>
              {t('conversation.send')}
            </Button>
          </Group>
        </form>
      )}
      {declinable &&
        (declining ? (
          <Card withBorder>
            <form
              onSubmit={(event) => {
                event.preventDefault();
                const form = new FormData(event.currentTarget);
                step.mutate({
                  kind: 'decline',
                  reasonCode: String(form.get('reasonCode')) as (typeof DECLINE_REASONS)[number],
                  reason: String(form.get('reason') ?? '').trim() || undefined,
                });
              }}
            >
              <Stack gap="xs">
                <NativeSelect name="reasonCode" label={t('decline.reasonCode')} data={DECLINE_REASONS.map((r) => ({ value: r, label: t(`decline.${r}`) }))} />
                <Textarea name="reason" label={t('decline.reason')} autosize minRows={2} />
                <Group>
                  <Button type="submit" color="red" loading={step.isPending}>
                    {t('decline.confirm')}
                  </Button>
                  <Button variant="default" onClick={() => setDeclining(false)}>
                    {t('edit.cancel')}
                  </Button>
                </Group>
              </Stack>
            </form>
          </Card>
        ) : (
          <Button variant="default" color="red" w="fit-content" onClick={() => setDeclining(true)}>
            {t('decline.button')}
          </Button>
        ))}
    </Stack>
  );
}
