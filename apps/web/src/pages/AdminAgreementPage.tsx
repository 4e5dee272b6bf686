import { Anchor, Button, Card, Group, List, Loader, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api, problemText, type Problem } from '../api/client';
import { useOrganisationName, useOrganisations } from '../api/hooks';
import { formatDay, useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { AgreementStatus, isFull, nextStep, type Agreement } from '../ui/AdminAgreement';
import { usePageTitle } from '../ui/usePageTitle';
import { ProblemAlert } from '../ui/ProblemAlert';

/**
 * One agreement as a party's admin sees it: the parties and whether each has confirmed, the purposes,
 * which data may go which way, the dates and the response time. The admin confirms for their own
 * organisation (it is in force once every party has), or ends it with a reason: sharing under it stops
 * at once, and the other parties' case workers are told.
 */
export function AdminAgreementPage() {
  const { id = '' } = useParams();
  const { t, locale } = useI18n();
  const { me } = useSession();
  const nameOf = useOrganisationName();
  // the parties are named, not numbered: the directory first
  const directory = useOrganisations();
  const queries = useQueryClient();
  const [terminating, setTerminating] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  // the button that opened the form is gone: the keyboard continues in the reason field
  const reasonField = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (terminating) reasonField.current?.focus();
  }, [terminating]);
  const agreement = useQuery({
    queryKey: ['agreement', id],
    queryFn: async () => {
      const { data, error } = await api.GET('/agreements/{id}', { params: { path: { id } } });
      if (error) throw error;
      return data;
    },
  });
  usePageTitle(t('adminAgreement.title'));
  const settle = async (next: Agreement, message: string) => {
    queries.setQueryData(['agreement', id], next);
    await queries.invalidateQueries({ queryKey: ['agreements'] });
    setDone(message);
  };
  const confirm = useMutation({
    mutationFn: async () => {
      const { data, error } = await api.POST('/agreements/{id}/confirm', { params: { path: { id } } });
      if (error) throw error;
      return data;
    },
    onMutate: () => setDone(null),
    onSuccess: (next) => settle(next, t('adminAgreement.confirmed')),
  });
  const terminate = useMutation({
    mutationFn: async (reason: string) => {
      const { data, error } = await api.POST('/agreements/{id}/terminate', { params: { path: { id } }, body: { reason } });
      if (error) throw error;
      return data;
    },
    onMutate: () => setDone(null),
    onSuccess: async (next) => {
      setTerminating(false);
      await settle(next, t('adminAgreement.terminated'));
    },
  });
  if (agreement.isPending || directory.isPending) return <Loader aria-label={t('app.loading')} />;
  if (agreement.isError) return <ProblemAlert>{t('app.error', { detail: problemText(agreement.error) })}</ProblemAlert>;
  const a = agreement.data;
  const mine = me!.organisation.id;
  const heading = (
    <Group>
      <Title order={1} size="h2">
        {t('adminAgreement.title')}
      </Title>
      <AgreementStatus status={a.status} t={t} />
    </Group>
  );
  if (!isFull(a))
    return (
      <Stack maw={820}>
        {heading}
        <Text>{t('adminAgreement.existenceOnly')}</Text>
      </Stack>
    );
  const myParty = a.parties.find((p) => p.organisationId === mine);
  const mayConfirm = a.status === 'PENDING' && myParty && !myParty.confirmedAt;
  const mayTerminate = myParty && a.status !== 'TERMINATED' && a.status !== 'EXPIRED';
  const reasonError = (terminate.error as Problem | null)?.errors?.find((e) => e.field === 'reason')?.message;
  const submitTermination = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    terminate.mutate(String(new FormData(event.currentTarget).get('reason') ?? '').trim());
  };
  return (
    <Stack maw={820}>
      <Anchor component={Link} to="/admin/agreements" size="sm">
        {t('adminAgreement.back')}
      </Anchor>
      {heading}
      <Text fw={500}>{nextStep(a, mine, nameOf, t, locale)}</Text>
      <div role="status">{done && <Text fw={500}>{done}</Text>}</div>
      {confirm.isError && <ProblemAlert focus>{problemText(confirm.error)}</ProblemAlert>}

      <Table>
        <Table.Caption>{t('adminAgreement.facts')}</Table.Caption>
        <Table.Tbody>
          <Table.Tr>
            <Table.Th scope="row">{t('adminAgreement.reference')}</Table.Th>
            <Table.Td>{a.documentReference}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th scope="row">{t('adminAgreements.purposes')}</Table.Th>
            <Table.Td>{a.purposes.map((p) => t(`purpose.${p}`)).join(', ')}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th scope="row">{t('adminAgreements.period')}</Table.Th>
            <Table.Td>{t('adminAgreements.fromTo', { from: formatDay(a.validFrom, locale), until: formatDay(a.validUntil, locale) })}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th scope="row">{t('adminAgreement.responseTime')}</Table.Th>
            <Table.Td>{t('adminAgreement.workingDays', { days: a.responseWorkingDays })}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th scope="row">{t('adminAgreement.proposedBy')}</Table.Th>
            <Table.Td>{t('adminAgreement.proposedOn', { organisation: nameOf(a.createdByOrganisationId ?? ''), on: new Date(a.createdAt) })}</Table.Td>
          </Table.Tr>
          {a.terminationReason && (
            <Table.Tr>
              <Table.Th scope="row">{t('adminAgreement.reason')}</Table.Th>
              <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{a.terminationReason}</Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>

      <Table>
        <Table.Caption>{t('adminAgreement.parties')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('adminAgreement.party')}</Table.Th>
            <Table.Th scope="col">{t('adminAgreement.confirmation')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {a.parties.map((p) => (
            <Table.Tr key={p.organisationId}>
              <Table.Th scope="row" fw="normal">
                {nameOf(p.organisationId)}
                {p.organisationId === mine ? ` ${t('adminAgreement.us')}` : ''}
              </Table.Th>
              <Table.Td>{p.confirmedAt ? t('adminAgreement.confirmedOn', { on: new Date(p.confirmedAt) }) : t('adminAgreement.notConfirmed')}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>

      <section aria-labelledby="flows">
        <Title order={2} size="h4" id="flows">
          {t('adminAgreement.flows')}
        </Title>
        <List>
          {a.flows.map((f) => (
            <List.Item key={`${f.fromOrganisationId}>${f.toOrganisationId}`}>
              {t('adminAgreement.flow', {
                from: nameOf(f.fromOrganisationId),
                to: nameOf(f.toOrganisationId),
                categories: f.categories.map((c) => t(`category.${c}`)).join(', '),
              })}
            </List.Item>
          ))}
        </List>
        <Text size="sm" mt="xs">
          {t('adminAgreement.flowsHelp')}
        </Text>
      </section>

      {mayConfirm && (
        <Card withBorder component="section" aria-labelledby="confirm">
          <Title order={2} size="h4" id="confirm">
            {t('adminAgreement.confirmTitle')}
          </Title>
          <Text size="sm" my="xs">
            {t('adminAgreement.confirmHelp', { organisation: me!.organisation.name })}
          </Text>
          <Button w="fit-content" loading={confirm.isPending} onClick={() => confirm.mutate()}>
            {t('adminAgreement.confirm')}
          </Button>
        </Card>
      )}

      {mayTerminate && (
        <Card withBorder component="section" aria-labelledby="terminate">
          <Title order={2} size="h4" id="terminate">
            {t('adminAgreement.terminateTitle')}
          </Title>
          <Text size="sm" my="xs">
            {t('adminAgreement.terminateHelp')}
          </Text>
          {!terminating ? (
            <Button w="fit-content" variant="outline" color="red.9" onClick={() => setTerminating(true)}>
              {t('adminAgreement.terminate')}
            </Button>
          ) : (
            <form onSubmit={submitTermination} noValidate>
              <Stack gap="xs">
                {terminate.isError && <ProblemAlert focus>{problemText(terminate.error)}</ProblemAlert>}
                <Textarea
                  name="reason"
                  label={t('adminAgreement.reasonLabel')}
                  description={t('adminAgreement.reasonHelp')}
                  required
                  autosize
                  minRows={2}
                  ref={reasonField}
                  error={reasonError}
                />
                <Group>
                  <Button type="submit" color="red.9" loading={terminate.isPending}>
                    {t('adminAgreement.terminateNow')}
                  </Button>
                  <Button variant="default" onClick={() => setTerminating(false)}>
                    {t('edit.cancel')}
                  </Button>
                </Group>
              </Stack>
            </form>
          )}
        </Card>
      )}
    </Stack>
  );
}
