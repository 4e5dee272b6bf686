import { Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useId, type FormEvent } from 'react';
import { api, problemText, type Problem, type Schemas } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { ProblemAlert } from './ProblemAlert';

export type CertificationKind = Schemas['CertificationViewDto']['kind'];
export const CERTIFICATION_KINDS: CertificationKind[] = ['PARTNER_PORTAL_BASIC', 'PARTNER_PORTAL_EXTENDED'];

/** Today in Flanders, as the API counts days (YYYY-MM-DD). */
export const belgianToday = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Brussels' });

/** A day some years after another (the partner-portal training is valid for two years). */
export function yearsAfter(day: string, years: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${y + years}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * Record or renew a partner-portal certification of one person (VDAB admins: VDAB runs the training).
 * The same kind recorded again is a renewal with the new dates.
 */
export function CertificationForm(props: { userId: string; personName: string; onRecorded(certification: Schemas['UserCertificationDto']): void }) {
  const { t } = useI18n();
  const id = useId();
  const record = useMutation({
    mutationFn: async (input: { kind: CertificationKind; body: Schemas['RecordCertificationDto'] }) => {
      const { data, error } = await api.PUT('/users/{id}/certifications/{kind}', {
        params: { path: { id: props.userId, kind: input.kind } },
        body: input.body,
      });
      if (error) throw error;
      return data;
    },
    onSuccess: (certification) => props.onRecorded(certification),
  });
  const fieldError = (field: string) => (record.error as Problem | null)?.errors?.find((e) => e.field === field)?.message;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    record.mutate({
      kind: String(form.get('kind')) as CertificationKind,
      body: { obtainedOn: String(form.get('obtainedOn') ?? ''), expiresOn: String(form.get('expiresOn') ?? '') },
    });
  };
  const today = belgianToday();
  return (
    <form onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <Stack gap="xs">
        <Text fw={700} id={`${id}-title`}>
          {t('adminCert.recordFor', { name: props.personName })}
        </Text>
        {record.isError && <ProblemAlert focus>{problemText(record.error)}</ProblemAlert>}
        <NativeSelect name="kind" label={t('adminCert.kind')} data={CERTIFICATION_KINDS.map((kind) => ({ value: kind, label: t(`certification.${kind}`) }))} />
        <Group grow align="flex-start">
          <TextInput
            name="obtainedOn"
            type="date"
            label={t('adminCert.obtainedOn')}
            description={t('adminCert.obtainedHelp')}
            defaultValue={today}
            max={today}
            required
            error={fieldError('obtainedOn')}
          />
          <TextInput
            name="expiresOn"
            type="date"
            label={t('adminCert.expiresOn')}
            description={t('adminCert.expiresHelp')}
            defaultValue={yearsAfter(today, 2)}
            required
            error={fieldError('expiresOn')}
          />
        </Group>
        <Button type="submit" size="sm" w="fit-content" loading={record.isPending}>
          {t('adminCert.record')}
        </Button>
      </Stack>
    </form>
  );
}

/** What each certification allows, in plain words, for whoever wonders why it matters. */
export function CertificationMeanings() {
  const { t } = useI18n();
  return (
    <Stack gap={4}>
      {CERTIFICATION_KINDS.map((kind) => (
        <Text key={kind} size="sm">
          <strong>{t(`certification.${kind}`)}</strong>: {t(`certification.${kind}.meaning`)}
        </Text>
      ))}
    </Stack>
  );
}
