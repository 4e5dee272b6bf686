import { Button, Group, NativeSelect, Stack, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { parseInsz } from '../../../../libs/kernel/src/insz';
import { api, problemText, type Problem, type Schemas } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { usePageTitle } from '../ui/usePageTitle';
import { ProblemAlert } from '../ui/ProblemAlert';

const INCOME = ['LEEFLOON', 'EQUIVALENT_LEEFLOON', 'UNEMPLOYMENT_BENEFIT', 'SICKNESS_BENEFIT', 'WAGE', 'NONE', 'OTHER'] as const;

/** Register a client: the INSZ checked as it is typed (the same check the API makes), the birth date read from it. */
export function RegisterClientPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queries = useQueryClient();
  usePageTitle(t('register.title'));
  const [insz, setInsz] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const parsed = insz.trim() ? parseInsz(insz) : undefined;
  const inszError = parsed === 'format' ? t('register.inszFormat') : parsed === 'checksum' ? t('register.inszChecksum') : undefined;
  const register = useMutation({
    mutationFn: async (body: Schemas['CreateClientDto']) => {
      const { data, error } = await api.POST('/clients', { body });
      if (error) throw error;
      return data;
    },
    onSuccess: async (client) => {
      await queries.invalidateQueries({ queryKey: ['clients'] });
      await navigate(`/clients/${client.id}`);
    },
  });
  const fieldError = (field: string) => (register.error as Problem | null)?.errors?.find((e) => e.field === field)?.message;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (inszError) return;
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim() || undefined;
    const income = text('incomeSituation') as (typeof INCOME)[number] | undefined;
    register.mutate({
      insz: insz.trim(),
      firstName: text('firstName') ?? '',
      lastName: text('lastName') ?? '',
      birthDate,
      ...(text('phone') || text('email') ? { contact: { phone: text('phone'), email: text('email') } } : {}),
      ...(income ? { welfare: { incomeSituation: income } } : {}),
    });
  };
  return (
    <Stack maw={560}>
      <Title order={1} size="h2">
        {t('register.title')}
      </Title>
      {register.isError && (
        <ProblemAlert focus title={t('register.failed')}>
          {problemText(register.error)}
        </ProblemAlert>
      )}
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label={t('field.insz')}
            description={t('register.inszHelp')}
            required
            value={insz}
            onChange={(event) => {
              const value = event.currentTarget.value;
              setInsz(value);
              const facts = value.trim() ? parseInsz(value) : undefined;
              if (facts && typeof facts === 'object' && facts.birthDate) setBirthDate(facts.birthDate);
            }}
            error={inszError ?? fieldError('insz')}
            inputMode="numeric"
            autoComplete="off"
          />
          <Group grow>
            <TextInput name="firstName" label={t('field.firstName')} required error={fieldError('firstName')} autoComplete="off" />
            <TextInput name="lastName" label={t('field.lastName')} required error={fieldError('lastName')} autoComplete="off" />
          </Group>
          <TextInput
            type="date"
            label={t('field.birthDate')}
            required
            value={birthDate}
            onChange={(event) => setBirthDate(event.currentTarget.value)}
            error={fieldError('birthDate')}
          />
          <Group grow>
            <TextInput name="phone" type="tel" label={t('field.phone')} error={fieldError('contact.phone')} autoComplete="off" />
            <TextInput name="email" type="email" label={t('field.email')} error={fieldError('contact.email')} autoComplete="off" />
          </Group>
          <NativeSelect
            name="incomeSituation"
            label={t('field.incomeSituation')}
            description={t('client.confidential')}
            data={[{ value: '', label: '—' }, ...INCOME.map((value) => ({ value, label: t(`value.${value}`) }))]}
          />
          <Button type="submit" loading={register.isPending} w="fit-content">
            {t('register.submit')}
          </Button>
        </Stack>
      </form>
    </Stack>
  );
}
