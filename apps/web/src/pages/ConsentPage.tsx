import { Button, Checkbox, Group, NativeSelect, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { PURPOSES } from '../../../../libs/kernel/src/sharing';
import { api, problemText, type Problem, type Purpose, type Schemas } from '../api/client';
import { usePartners } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { CategoryChecks } from '../ui/CategoryChecks';
import type { Category } from '../ui/Section';
import { usePageTitle } from '../ui/usePageTitle';
import { ProblemAlert } from '../ui/ProblemAlert';

type Basis = Schemas['CreateConsentDto']['legalBasis'];
type Method = Schemas['CreateConsentDto']['method'];
const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Brussels' });

/**
 * Record the client's consent, or the notice given to her: which partners may receive which categories
 * for which purposes, on which legal basis, how it was given and where the evidence is. Welfare and
 * health stay with the OCMW unless the client consents: under a notice the category cannot be chosen.
 */
export function ConsentPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const partners = usePartners();
  usePageTitle(t('consent.title'));
  const [recipients, setRecipients] = useState<string[]>([]);
  const [purposes, setPurposes] = useState<string[]>(['MEDIATION']);
  // what a mediation needs: the receiver of a warm handover also works on the trajectory
  const [categories, setCategories] = useState<Category[]>(['IDENTITY', 'CONTACT', 'EMPLOYMENT', 'TRAJECTORY', 'OBSTACLES']);
  const [basis, setBasis] = useState<Basis>('PUBLIC_TASK_NOTICE');
  const record = useMutation({
    mutationFn: async (body: Schemas['CreateConsentDto']) => {
      const { data, error } = await api.POST('/clients/{id}/consents', { params: { path: { id } }, body });
      if (error) throw error;
      return data;
    },
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: ['consents', id] });
      await navigate(`/clients/${id}`);
    },
  });
  const fieldError = (field: string) => (record.error as Problem | null)?.errors?.find((e) => e.field === field)?.message;
  const chosen = basis === 'CONSENT' ? categories : categories.filter((c) => c !== 'WELFARE');

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim() || undefined;
    record.mutate({
      recipientOrganisationIds: recipients,
      purposes: purposes as Purpose[],
      categories: chosen,
      legalBasis: basis,
      method: String(form.get('method')) as Method,
      evidenceReference: text('evidenceReference'),
      validFrom: text('validFrom') ?? today(),
      validUntil: text('validUntil'),
    });
  };
  return (
    <Stack maw={640}>
      <Title order={1} size="h2">
        {t('consent.title')}
      </Title>
      {record.isError && (
        <ProblemAlert focus title={t('consent.failed')}>
          {problemText(record.error)}
        </ProblemAlert>
      )}
      <form onSubmit={submit} noValidate>
        <Stack>
          <Radio.Group label={t('consent.basis')} value={basis} onChange={(v) => setBasis(v as Basis)} required>
            <Stack gap={6} mt="xs">
              <Radio value="PUBLIC_TASK_NOTICE" label={t('consent.basis.PUBLIC_TASK_NOTICE')} />
              <Radio value="CONSENT" label={t('consent.basis.CONSENT')} />
            </Stack>
          </Radio.Group>
          <Checkbox.Group label={t('consent.recipients')} value={recipients} onChange={setRecipients} required error={fieldError('recipientOrganisationIds')}>
            <Stack gap={6} mt="xs">
              {partners.map((o) => (
                <Checkbox key={o.id} value={o.id} label={o.name} />
              ))}
            </Stack>
          </Checkbox.Group>
          <Checkbox.Group label={t('consent.purposes')} value={purposes} onChange={setPurposes} required error={fieldError('purposes')}>
            <Group mt="xs">
              {PURPOSES.map((p) => (
                <Checkbox key={p} value={p} label={t(`purpose.${p}`)} />
              ))}
            </Group>
          </Checkbox.Group>
          <CategoryChecks
            label={t('consent.categories')}
            value={chosen}
            onChange={setCategories}
            disabled={basis === 'CONSENT' ? {} : { WELFARE: t('consent.welfareNeedsConsent') }}
            error={fieldError('categories')}
          />
          <NativeSelect
            name="method"
            label={t('consent.method')}
            data={(['SIGNED_FORM', 'DIGITAL', 'VERBAL'] as Method[]).map((m) => ({ value: m, label: t(`consent.method.${m}`) }))}
          />
          <TextInput name="evidenceReference" label={t('consent.evidence')} description={t('consent.evidenceHelp')} error={fieldError('evidenceReference')} />
          <Group grow>
            <TextInput name="validFrom" type="date" label={t('consent.validFrom')} defaultValue={today()} required error={fieldError('validFrom')} />
            <TextInput name="validUntil" type="date" label={t('consent.validUntil')} error={fieldError('validUntil')} />
          </Group>
          <Text size="sm">{t('consent.revocable')}</Text>
          <Button type="submit" loading={record.isPending} w="fit-content">
            {t('consent.submit')}
          </Button>
        </Stack>
      </form>
    </Stack>
  );
}
