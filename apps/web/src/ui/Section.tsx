import { Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useId, useRef, useState } from 'react';
import { SectionEditor, EDITABLE } from './SectionEditor';
import { formatInsz } from '../../../../libs/kernel/src/insz';
import { CATEGORY_KEY, DATA_CATEGORIES, type DataCategory } from '../../../../libs/kernel/src/sharing';
import type { Schemas } from '../api/client';
import { formatDay, useI18n } from '../i18n/i18n';

// the API's own vocabulary (libs/kernel imports nothing, so the browser reads the same lists)
export const CATEGORIES = DATA_CATEGORIES;
export type Category = DataCategory;
/** The property of a file (own or shared) that holds a category's section. */
export const SECTION_OF = CATEGORY_KEY;

type Address = Schemas['AddressDto'];
const isAddress = (value: unknown): value is Address => typeof value === 'object' && value !== null && 'municipality' in value && 'postalCode' in value;

/** One category of a file, read-only, as a list of labelled values; the confidential welfare section is marked. */
export function Section({
  category,
  content,
  edit,
}: {
  category: Category;
  content: Record<string, unknown> | undefined;
  /** the own file's section: editable by the case worker, guarded by the file's version */
  edit?: { clientId: string; version: number };
}) {
  const { t, locale } = useI18n();
  const [editing, setEditing] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const stopEditing = () => {
    setEditing(false);
    setTimeout(() => editButton.current?.focus()); // back where the keyboard user was
  };
  const show = (key: string, value: unknown): string => {
    if (value === null || value === undefined || value === '') return '';
    if (Array.isArray(value)) return value.map((v) => show(key, v)).join(', ');
    if (isAddress(value)) return `${value.street ?? ''} ${value.houseNumber ?? ''}, ${value.postalCode ?? ''} ${value.municipality ?? ''}`.trim();
    if (typeof value === 'object')
      return Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => (typeof v === 'boolean' ? (v ? t(`field.${k}`) : '') : show(k, v)))
        .filter(Boolean)
        .join(', ');
    if (key === 'insz' && typeof value === 'string' && /^\d{11}$/.test(value)) return formatInsz(value);
    if (key === 'birthDate' && typeof value === 'string') return formatDay(value, locale);
    const text = String(value);
    const named = t(`value.${text}`);
    return named === `value.${text}` ? text : named;
  };
  const entries = Object.entries(content ?? {}).filter(([, value]) => show('', value) !== '');
  const confidential = category === 'WELFARE';
  const headingId = useId();
  return (
    <Card withBorder component="section" aria-labelledby={headingId} bg={confidential ? 'var(--mantine-color-orange-0)' : undefined}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={3} size="h4" id={headingId}>
            {t(`category.${category}`)}
          </Title>
          {edit && EDITABLE[category] && !editing && (
            <Button
              ref={editButton}
              variant="subtle"
              size="compact-sm"
              onClick={() => setEditing(true)}
              aria-label={t('edit.section', { category: t(`category.${category}`) })}
            >
              {t('edit.button')}
            </Button>
          )}
        </Group>
        {confidential && (
          <Text size="sm" fw={700}>
            {t('client.confidential')}
          </Text>
        )}
        {editing && edit ? (
          <SectionEditor clientId={edit.clientId} category={category} content={content} version={edit.version} onDone={stopEditing} />
        ) : entries.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('client.empty')}
          </Text>
        ) : (
          <dl style={{ margin: 0, display: 'grid', gridTemplateColumns: 'minmax(8rem, max-content) 1fr', gap: '0.25rem 1rem' }}>
            {entries.map(([key, value]) => (
              <div key={key} style={{ display: 'contents' }}>
                <dt style={{ fontWeight: 600 }}>{t(`field.${key}`) === `field.${key}` ? key : t(`field.${key}`)}</dt>
                <dd style={{ margin: 0 }}>{show(key, value)}</dd>
              </div>
            ))}
          </dl>
        )}
      </Stack>
    </Card>
  );
}
