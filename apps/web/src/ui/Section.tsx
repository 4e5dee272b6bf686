import { Card, Group, Stack, Text, Title } from '@mantine/core';
import { useId } from 'react';
import { formatInsz } from '../../../../libs/kernel/src/insz';
import type { Schemas } from '../api/client';
import { formatDay, useI18n } from '../i18n/i18n';

export const CATEGORIES = ['IDENTITY', 'CONTACT', 'EMPLOYMENT', 'TRAJECTORY', 'OBSTACLES', 'WELFARE'] as const;
export type Category = (typeof CATEGORIES)[number];
/** The property of a file (own or shared) that holds a category's section. */
export const SECTION_OF: Record<Category, 'identity' | 'contact' | 'employment' | 'trajectory' | 'obstacles' | 'welfare'> = {
  IDENTITY: 'identity',
  CONTACT: 'contact',
  EMPLOYMENT: 'employment',
  TRAJECTORY: 'trajectory',
  OBSTACLES: 'obstacles',
  WELFARE: 'welfare',
};

type Address = Schemas['AddressDto'];
const isAddress = (value: unknown): value is Address => typeof value === 'object' && value !== null && 'municipality' in value && 'postalCode' in value;

/** One category of a file, read-only, as a list of labelled values; the confidential welfare section is marked. */
export function Section({ category, content }: { category: Category; content: Record<string, unknown> | undefined }) {
  const { t, locale } = useI18n();
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
          <Title order={4} id={headingId}>
            {t(`category.${category}`)}
          </Title>
        </Group>
        {confidential && (
          <Text size="sm" fw={700}>
            {t('client.confidential')}
          </Text>
        )}
        {entries.length === 0 ? (
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
