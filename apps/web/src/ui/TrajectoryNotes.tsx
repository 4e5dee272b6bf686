import { Badge, Button, Card, Group, NativeSelect, Radio, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, problemText, type Purpose } from '../api/client';
import { useOrganisationName } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { purposeHeader } from '../session/session';
import { ProblemAlert } from './ProblemAlert';
import { CATEGORIES, type Category } from './Section';
import { startOver } from './trajectoryModel';

type Visibility = 'SHARED' | 'INTERNAL';

/**
 * Notes on the trajectory. SHARED reaches the organisations that take part in it (each only where it may
 * read the note's category of the director's file); INTERNAL stays with the author's organisation. Read
 * for the page's purpose, like the trajectory.
 */
export function TrajectoryNotes({ trajectoryId, purpose, canWrite }: { trajectoryId: string; purpose: Purpose | null; canWrite: boolean }) {
  const { t } = useI18n();
  const queries = useQueryClient();
  const nameOf = useOrganisationName();
  const [visibility, setVisibility] = useState<Visibility>('SHARED');
  const key = ['trajectory-notes', trajectoryId, purpose];
  const notes = useQuery({
    queryKey: key,
    enabled: Boolean(purpose),
    queryFn: async () => {
      const { data, error } = await api.GET('/trajectories/{id}/notes', { params: { path: { id: trajectoryId } }, headers: purposeHeader(purpose) });
      if (error) throw error;
      return data;
    },
  });
  const add = useMutation({
    mutationFn: async (body: { category: Category; visibility: Visibility; body: string }) => {
      const { data, error } = await api.POST('/trajectories/{id}/notes', { params: { path: { id: trajectoryId } }, headers: purposeHeader(purpose), body });
      if (error) throw error;
      return data;
    },
    onSuccess: () => queries.invalidateQueries({ queryKey: key }),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const target = event.currentTarget;
    add.mutate(
      { category: String(form.get('category')) as Category, visibility, body: String(form.get('body') ?? '').trim() },
      {
        onSuccess: () => {
          startOver(target, 'body');
          setVisibility('SHARED');
        },
      },
    );
  };
  const list = notes.data ?? [];
  return (
    <Stack component="section" aria-labelledby="trajectory-notes" gap="xs">
      <Title order={2} size="h5" id="trajectory-notes">
        {t('trajectoryNotes.title')}
      </Title>
      {notes.isError ? (
        <ProblemAlert>{t('app.error', { detail: problemText(notes.error) })}</ProblemAlert>
      ) : list.length === 0 ? (
        <Text size="sm" c="dimmed">
          {notes.isPending ? t('app.loading') : t('trajectoryNotes.empty')}
        </Text>
      ) : (
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {list.map((n) => (
            <Card withBorder component="li" key={n.id} padding="sm">
              <Group gap="xs" mb={4}>
                <Text size="sm" fw={600}>
                  {t('trajectoryNotes.by', {
                    author: n.author?.displayName ?? nameOf(n.organisationId),
                    organisation: nameOf(n.organisationId),
                    on: new Date(n.createdAt),
                  })}
                </Text>
                <Badge variant="outline" color={n.visibility === 'SHARED' ? 'blue.9' : 'dark'}>
                  {t(`noteVisibility.${n.visibility}`)}
                </Badge>
                <Badge variant="outline" color="dark">
                  {t(`category.${n.category}`)}
                </Badge>
              </Group>
              <Text style={{ whiteSpace: 'pre-wrap' }}>{n.body}</Text>
            </Card>
          ))}
        </Stack>
      )}
      {canWrite && (
        <form onSubmit={submit} aria-label={t('trajectoryNotes.add')}>
          <Stack gap="xs">
            {add.isError && <ProblemAlert focus>{problemText(add.error)}</ProblemAlert>}
            <Textarea name="body" label={t('trajectoryNotes.body')} required autosize minRows={3} maxLength={8000} />
            <Group align="start" grow>
              <Radio.Group label={t('trajectoryNotes.visibility')} value={visibility} onChange={(value) => setVisibility(value as Visibility)}>
                <Stack gap={4} mt={4}>
                  <Radio value="SHARED" label={t('noteVisibility.SHARED_help')} />
                  <Radio value="INTERNAL" label={t('noteVisibility.INTERNAL_help')} />
                </Stack>
              </Radio.Group>
              <NativeSelect
                name="category"
                label={t('trajectoryNotes.category')}
                description={t('trajectoryNotes.categoryHelp')}
                defaultValue="TRAJECTORY"
                data={CATEGORIES.map((c) => ({ value: c, label: t(`category.${c}`) }))}
              />
            </Group>
            <Button type="submit" variant="default" w="fit-content" loading={add.isPending}>
              {t('trajectoryNotes.add')}
            </Button>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
