import { Button, Checkbox, Group, NativeSelect, NumberInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { PURPOSES } from '../../../../libs/kernel/src/sharing';
import { api, problemText, type Problem, type Purpose, type Schemas } from '../api/client';
import { usePartners } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { belgianToday, yearsAfter } from '../ui/AdminCertification';
import { CategoryChecks } from '../ui/CategoryChecks';
import type { Category } from '../ui/Section';
import { usePageTitle } from '../ui/usePageTitle';
import { ProblemAlert } from '../ui/ProblemAlert';

/**
 * Propose a cooperation agreement with one partner: for which purposes, which data may go each way
 * (only ever with the client's consent or notice besides), from when until when, the signed document
 * it rests on, and how fast referrals are answered. It is in force once an admin of each party, this
 * organisation's included, has confirmed it.
 */
export function AdminAgreementNewPage() {
  const { t } = useI18n();
  const { me } = useSession();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const partners = usePartners();
  usePageTitle(t('adminAgreementNew.title'));
  const [partnerId, setPartnerId] = useState('');
  const [purposes, setPurposes] = useState<string[]>(['ACTIVATION']);
  const [outgoing, setOutgoing] = useState<Category[]>(['IDENTITY', 'CONTACT']);
  const [incoming, setIncoming] = useState<Category[]>(['IDENTITY', 'CONTACT']);
  const [days, setDays] = useState<string | number>(10);
  const create = useMutation({
    mutationFn: async (body: Schemas['CreateAgreementDto']) => {
      const { data, error } = await api.POST('/agreements', { body });
      if (error) throw error;
      return data;
    },
    onSuccess: async (agreement) => {
      await queries.invalidateQueries({ queryKey: ['agreements'] });
      await navigate(`/admin/agreements/${agreement.id}`);
    },
  });
  const fieldError = (field: string) => (create.error as Problem | null)?.errors?.find((e) => e.field === field || e.field.startsWith(`${field}.`))?.message;
  const mine = me!.organisation.id;
  const partner = partners.find((o) => o.id === partnerId);
  const partnerName = partner?.name ?? t('adminAgreementNew.thePartner');
  const today = belgianToday();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const flows: Schemas['CreateAgreementDto']['flows'] = [];
    if (partnerId && outgoing.length > 0) flows.push({ fromOrganisationId: mine, toOrganisationId: partnerId, categories: outgoing });
    if (partnerId && incoming.length > 0) flows.push({ fromOrganisationId: partnerId, toOrganisationId: mine, categories: incoming });
    create.mutate({
      partyOrganisationIds: partnerId ? [mine, partnerId] : [mine],
      purposes: purposes as Purpose[],
      flows,
      validFrom: text('validFrom'),
      validUntil: text('validUntil'),
      documentReference: text('documentReference'),
      responseWorkingDays: Number(days) || 10,
    });
  };
  return (
    <Stack maw={640}>
      <Title order={1} size="h2">
        {t('adminAgreementNew.title')}
      </Title>
      <Text>{t('adminAgreementNew.intro')}</Text>
      {create.isError && (
        <ProblemAlert focus title={t('adminAgreementNew.failed')}>
          {problemText(create.error)}
        </ProblemAlert>
      )}
      <form onSubmit={submit} noValidate>
        <Stack>
          <NativeSelect
            label={t('adminAgreementNew.partner')}
            required
            value={partnerId}
            onChange={(event) => setPartnerId(event.currentTarget.value)}
            data={[{ value: '', label: t('adminAgreementNew.choosePartner') }, ...partners.map((o) => ({ value: o.id, label: o.name }))]}
            error={fieldError('partyOrganisationIds')}
          />
          <Checkbox.Group label={t('adminAgreements.purposes')} value={purposes} onChange={setPurposes} required error={fieldError('purposes')}>
            <Group mt="xs">
              {PURPOSES.map((p) => (
                <Checkbox key={p} value={p} label={t(`purpose.${p}`)} />
              ))}
            </Group>
          </Checkbox.Group>
          <CategoryChecks
            label={t('adminAgreementNew.outgoing', { partner: partnerName })}
            description={t('adminAgreementNew.flowHelp')}
            value={outgoing}
            onChange={setOutgoing}
            error={fieldError('flows')}
          />
          <CategoryChecks
            label={t('adminAgreementNew.incoming', { partner: partnerName })}
            description={t('adminAgreementNew.flowHelp')}
            value={incoming}
            onChange={setIncoming}
          />
          <Group grow align="flex-start">
            <TextInput name="validFrom" type="date" label={t('adminAgreementNew.validFrom')} defaultValue={today} required error={fieldError('validFrom')} />
            <TextInput
              name="validUntil"
              type="date"
              label={t('adminAgreementNew.validUntil')}
              description={t('adminAgreementNew.validUntilHelp')}
              defaultValue={yearsAfter(today, 5)}
              required
              error={fieldError('validUntil')}
            />
          </Group>
          <TextInput
            name="documentReference"
            label={t('adminAgreement.reference')}
            description={t('adminAgreementNew.referenceHelp')}
            required
            autoComplete="off"
            error={fieldError('documentReference')}
          />
          <NumberInput
            label={t('adminAgreement.responseTime')}
            description={t('adminAgreementNew.responseHelp')}
            min={1}
            max={60}
            value={days}
            onChange={setDays}
            error={fieldError('responseWorkingDays')}
          />
          <Text size="sm">{t('adminAgreementNew.afterwards')}</Text>
          <Button type="submit" loading={create.isPending} w="fit-content">
            {t('adminAgreementNew.submit')}
          </Button>
        </Stack>
      </form>
    </Stack>
  );
}
