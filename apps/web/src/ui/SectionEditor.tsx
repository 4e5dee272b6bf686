import { Button, Group, NativeSelect, Stack, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent } from 'react';
import { api, problemText, type Problem } from '../api/client';
import { useI18n } from '../i18n/i18n';
import type { Category } from './Section';
import { ProblemAlert } from './ProblemAlert';

type Field = { name: string; kind: 'text' | 'tel' | 'email' | 'textarea' } | { name: string; kind: 'select'; options: readonly string[] };

/** The fields a case worker edits per category (identity changes go through registration; the trajectory is filled by trajectories). */
export const EDITABLE: Partial<Record<Category, { key: 'contact' | 'employment' | 'obstacles' | 'welfare'; fields: Field[] }>> = {
  CONTACT: {
    key: 'contact',
    fields: [
      { name: 'phone', kind: 'tel' },
      { name: 'email', kind: 'email' },
      { name: 'preferredLanguage', kind: 'select', options: ['nl', 'fr', 'de', 'en', 'other'] },
      { name: 'notes', kind: 'textarea' },
    ],
  },
  EMPLOYMENT: {
    key: 'employment',
    fields: [
      { name: 'educationLevel', kind: 'select', options: ['NONE', 'PRIMARY', 'LOWER_SECONDARY', 'HIGHER_SECONDARY', 'HIGHER_EDUCATION', 'UNKNOWN'] },
      { name: 'notes', kind: 'textarea' },
    ],
  },
  OBSTACLES: {
    key: 'obstacles',
    fields: [
      { name: 'mobility', kind: 'text' },
      { name: 'childcare', kind: 'text' },
      { name: 'languageLevel', kind: 'select', options: ['A0', 'A1', 'A2', 'B1', 'B2', 'C1', 'C2'] },
      { name: 'notes', kind: 'textarea' },
    ],
  },
  WELFARE: {
    key: 'welfare',
    fields: [
      {
        name: 'incomeSituation',
        kind: 'select',
        options: ['LEEFLOON', 'EQUIVALENT_LEEFLOON', 'UNEMPLOYMENT_BENEFIT', 'SICKNESS_BENEFIT', 'WAGE', 'NONE', 'OTHER'],
      },
      { name: 'welfareNotes', kind: 'textarea' },
      { name: 'healthNotes', kind: 'textarea' },
      { name: 'notes', kind: 'textarea' },
    ],
  },
};

/**
 * One section of the own file, edited on its own: only the fields changed are sent (a JSON Merge Patch;
 * a field emptied is removed), guarded by the file's version (If-Match), so a colleague's change made in
 * between is not overwritten: the API's 412 is shown and the file reloaded.
 */
export function SectionEditor(props: { clientId: string; category: Category; content: Record<string, unknown> | undefined; version: number; onDone(): void }) {
  const { t } = useI18n();
  const queries = useQueryClient();
  const editable = EDITABLE[props.category]!;
  const save = useMutation({
    mutationFn: async (patch: Record<string, unknown>) => {
      const { data, error } = await api.PATCH('/clients/{id}', {
        params: { path: { id: props.clientId }, header: { 'If-Match': `"${props.version}"` } },
        body: { [editable.key]: patch },
      });
      if (error) throw error;
      return data;
    },
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: ['client', props.clientId] });
      props.onDone();
    },
    onError: async (error) => {
      if ((error as unknown as Problem).status === 412) await queries.invalidateQueries({ queryKey: ['client', props.clientId] });
    },
  });
  const fieldError = (field: string) => (save.error as Problem | null)?.errors?.find((e) => e.field === `${editable.key}.${field}`)?.message;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const patch: Record<string, unknown> = {};
    for (const field of editable.fields) {
      const before = props.content?.[field.name];
      const after = String(form.get(field.name) ?? '').trim();
      if (after === String(before ?? '')) continue;
      patch[field.name] = after === '' ? null : after;
    }
    if (Object.keys(patch).length === 0) props.onDone();
    else save.mutate(patch);
  };
  const initial = (name: string) => (props.content?.[name] === undefined || props.content?.[name] === null ? '' : String(props.content[name]));
  return (
    <form onSubmit={submit} noValidate aria-label={t('edit.form', { category: t(`category.${props.category}`) })}>
      <Stack gap="xs">
        {save.isError && <ProblemAlert focus>{problemText(save.error)}</ProblemAlert>}
        {editable.fields.map((field) =>
          field.kind === 'select' ? (
            <NativeSelect
              key={field.name}
              name={field.name}
              label={t(`field.${field.name}`)}
              defaultValue={initial(field.name)}
              data={[{ value: '', label: '—' }, ...field.options.map((o) => ({ value: o, label: t(`value.${o}`) === `value.${o}` ? o : t(`value.${o}`) }))]}
              error={fieldError(field.name)}
            />
          ) : field.kind === 'textarea' ? (
            <Textarea
              key={field.name}
              name={field.name}
              label={t(`field.${field.name}`)}
              defaultValue={initial(field.name)}
              autosize
              minRows={2}
              error={fieldError(field.name)}
            />
          ) : (
            <TextInput
              key={field.name}
              name={field.name}
              type={field.kind}
              label={t(`field.${field.name}`)}
              defaultValue={initial(field.name)}
              error={fieldError(field.name)}
            />
          ),
        )}
        <Group>
          <Button type="submit" size="sm" loading={save.isPending}>
            {t('edit.save')}
          </Button>
          <Button variant="default" size="sm" onClick={props.onDone}>
            {t('edit.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
