import { Badge, Button, Card, Group, NativeSelect, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, problemText, type Problem, type Schemas } from '../api/client';
import { useOrganisationName } from '../api/hooks';
import { DATA_CATEGORIES } from '../../../../libs/kernel/src/sharing';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { ProblemAlert } from './ProblemAlert';

/**
 * Case notes on the client: ours and the shared notes of trajectories we take part in. A note written
 * here stays with our organisation: a note for the partners belongs to a trajectory (the API refuses a
 * shared one without it) and is written on the trajectory's page. A note has a category: it is shared only where that
 * category may be read, so a WELFARE note stays with us unless the client agreed.
 */
export function ClientNotes({ clientId, canWrite }: { clientId: string; canWrite: boolean }) {
  const { t } = useI18n();
  const { me } = useSession();
  const nameOf = useOrganisationName();
  const queries = useQueryClient();
  const [formKey, setFormKey] = useState(0);
  const notes = useQuery({
    queryKey: ['notes', clientId],
    queryFn: async () => {
      const { data, error } = await api.GET('/clients/{id}/notes', { params: { path: { id: clientId } } });
      if (error) throw error;
      return data;
    },
  });
  const write = useMutation({
    mutationFn: async (body: Schemas['CreateNoteDto']) => {
      const { data, error } = await api.POST('/clients/{id}/notes', { params: { path: { id: clientId } }, body });
      if (error) throw error;
      return data;
    },
    onSuccess: async () => {
      setFormKey((k) => k + 1);
      await queries.invalidateQueries({ queryKey: ['notes', clientId] });
    },
  });
  const fieldError = (field: string) => (write.error as Problem | null)?.errors?.find((e) => e.field === field)?.message;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    write.mutate({
      category: String(form.get('category')) as Schemas['CreateNoteDto']['category'],
      visibility: 'INTERNAL',
      body: String(form.get('body') ?? ''),
    });
  };

  return (
    <Stack maw={820}>
      {canWrite && (
        <form key={formKey} onSubmit={submit} noValidate aria-labelledby="note-new">
          <Stack>
            <Title order={3} size="h5" id="note-new">
              {t('notes.add')}
            </Title>
            {write.isError && !fieldError('body') && <ProblemAlert focus>{problemText(write.error)}</ProblemAlert>}
            <Textarea name="body" label={t('notes.body')} description={t('notes.internalHelp')} required autosize minRows={3} error={fieldError('body')} />
            <NativeSelect
              name="category"
              label={t('notes.category')}
              maw={360}
              defaultValue="TRAJECTORY"
              data={DATA_CATEGORIES.map((c) => ({ value: c, label: t(`category.${c}`) }))}
            />
            <Button type="submit" variant="default" w="fit-content" loading={write.isPending}>
              {t('notes.save')}
            </Button>
          </Stack>
        </form>
      )}
      {notes.isError && <ProblemAlert>{t('app.error', { detail: problemText(notes.error) })}</ProblemAlert>}
      {notes.data?.length === 0 && <Text>{t('notes.none')}</Text>}
      <Stack component="ul" gap="sm" p={0} style={{ listStyle: 'none' }} aria-label={t('notes.list')}>
        {notes.data?.map((note) => (
          <Card component="li" withBorder key={note.id}>
            <Group gap="xs" mb={4}>
              <Text size="sm" fw={600}>
                {note.author?.displayName ?? nameOf(note.organisationId)}
                {note.organisationId !== me?.organisation.id ? `, ${nameOf(note.organisationId)}` : ''}
              </Text>
              <Text size="sm" c="dimmed">
                {t('notes.on', { on: new Date(note.createdAt) })}
              </Text>
              <Badge variant="light" color={note.visibility === 'SHARED' ? 'grape' : 'gray'}>
                {t(`notes.${note.visibility}`)}
              </Badge>
              <Badge variant="outline" color={note.category === 'WELFARE' ? 'red' : 'blue'}>
                {t(`category.${note.category}`)}
              </Badge>
            </Group>
            <Text style={{ whiteSpace: 'pre-wrap' }}>{note.body}</Text>
          </Card>
        ))}
      </Stack>
    </Stack>
  );
}
