import { Button, Group, NativeSelect, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { api, problemText, type Problem, type Schemas } from '../api/client';
import { usePartners } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { CategoryChecks } from '../ui/CategoryChecks';
import { Section, SECTION_OF, type Category } from '../ui/Section';
import { usePageTitle } from '../ui/usePageTitle';
import { ProblemAlert } from '../ui/ProblemAlert';

/**
 * A warm handover: the director chooses the receiver and the categories to offer, sees beside the form
 * exactly the sections the receiver will read, and sends. The API refuses a category no consent or
 * notice covers, and says which; that answer is shown here as it comes.
 */
export function HandoverComposerPage({ kind = 'WARM_HANDOVER' }: { kind?: 'WARM_HANDOVER' | 'NOT_YET_READY' }) {
  const { id = '' } = useParams();
  const signal = kind === 'NOT_YET_READY';
  const { t } = useI18n();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const partners = usePartners();
  const title = signal ? t('signal.compose') : t('handover.compose');
  usePageTitle(title);
  const file = useQuery({
    queryKey: ['client', id, null],
    queryFn: async () => {
      const { data, error } = await api.GET('/clients/{id}', { params: { path: { id } } });
      if (error) throw error;
      return data;
    },
  });
  const [to, setTo] = useState('');
  const receiver = to || partners.find((o) => o.kind === 'VDAB')?.id || '';
  // a signal carries who the client is and nothing else (the API refuses more)
  const [chosen, setCategories] = useState<Category[]>(['IDENTITY', 'CONTACT', 'EMPLOYMENT']);
  const categories: Category[] = signal ? ['IDENTITY'] : chosen;
  const send = useMutation({
    mutationFn: async (body: Schemas['CreateReferralDto']) => {
      const { data, error } = await api.POST('/handovers', { body, headers: { 'Idempotency-Key': crypto.randomUUID() } });
      if (error) throw error;
      return data;
    },
    onSuccess: async (handover) => {
      await queries.invalidateQueries({ queryKey: ['handovers'] });
      await navigate(`/handovers/${handover.id}`);
    },
  });
  const fieldError = (field: string) => (send.error as Problem | null)?.errors?.find((e) => e.field === field)?.message;
  const own = file.data?.ownFile as Record<string, Record<string, unknown> | undefined> | null | undefined;
  const receiverName = partners.find((o) => o.id === receiver)?.name ?? '';

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const dates = ['intake1', 'intake2'].map((name) => String(form.get(name) ?? '')).filter(Boolean);
    send.mutate({
      kind,
      clientId: id,
      toOrganisationId: receiver,
      categories,
      note: String(form.get('note') ?? '').trim() || undefined,
      proposedIntakeDates: dates.length ? dates : undefined,
      reviewDate: signal ? String(form.get('reviewDate') ?? '') || undefined : undefined,
      send: true,
    });
  };
  return (
    <Stack>
      <Title order={1} size="h2">
        {title}
      </Title>
      {signal && <Text maw={720}>{t('signal.intro')}</Text>}
      {send.isError && (
        <ProblemAlert focus title={t('handover.failed')}>
          {problemText(send.error)}
        </ProblemAlert>
      )}
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="xl">
        <form onSubmit={submit} noValidate>
          <Stack>
            <NativeSelect
              label={t('handover.to')}
              value={receiver}
              onChange={(event) => setTo(event.currentTarget.value)}
              data={partners.map((o) => ({ value: o.id, label: o.name }))}
              error={fieldError('toOrganisationId')}
            />
            {signal ? (
              <TextInput
                name="reviewDate"
                type="date"
                required
                label={t('signal.reviewDate')}
                description={t('signal.reviewDateHelp')}
                error={fieldError('reviewDate')}
              />
            ) : (
              <CategoryChecks
                label={t('handover.categories')}
                description={t('handover.categoriesHelp')}
                value={categories}
                onChange={setCategories}
                error={fieldError('categories')}
              />
            )}
            <Textarea
              name="note"
              label={t('handover.note')}
              description={signal ? t('signal.noteHelp') : t('handover.noteHelp')}
              autosize
              minRows={3}
              error={fieldError('note')}
            />
            {!signal && (
              <Group grow>
                <TextInput name="intake1" type="date" label={t('handover.intake1')} />
                <TextInput name="intake2" type="date" label={t('handover.intake2')} />
              </Group>
            )}
            <Button type="submit" loading={send.isPending} w="fit-content" disabled={!receiver || categories.length === 0}>
              {signal ? t('signal.send') : t('handover.send')}
            </Button>
          </Stack>
        </form>
        <Stack component="section" aria-labelledby="preview">
          <Title order={2} size="h3" id="preview">
            {t('handover.preview', { organisation: receiverName })}
          </Title>
          <Text size="sm">{t('handover.previewHelp')}</Text>
          {own && categories.map((category) => <Section key={category} category={category} content={own[SECTION_OF[category]]} />)}
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}

/** The director's NOT_YET_READY signal: guidance to work waits until a review date; the partner sees who, not why. */
export function SignalComposerPage() {
  return <HandoverComposerPage kind="NOT_YET_READY" />;
}
