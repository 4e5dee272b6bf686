import { Alert, Button, Code, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, problemText } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { timeText } from '../ui/AuditWords';
import { ProblemAlert } from '../ui/ProblemAlert';
import { usePageTitle } from '../ui/usePageTitle';

/**
 * Whether the audit trail is intact: the chains that concern the officer's organisation recomputed
 * against their signed checkpoints, the latest checkpoint of her organisation's own chain, and the public
 * key anyone can check the signatures with.
 */
export function AuditChainPage() {
  const { t } = useI18n();
  const { me } = useSession();
  usePageTitle(t('audit.chain.title'));
  // a full recomputation, counted with the exports per hour: once when the page opens, again on request
  const verify = useQuery({
    queryKey: ['audit-verify'],
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    retry: false,
    queryFn: async () => {
      const { data, error } = await api.GET('/audit/verify');
      if (error) throw error;
      return data;
    },
  });
  const checkpoints = useQuery({
    queryKey: ['audit-checkpoints'],
    queryFn: async () => {
      const { data, error } = await api.GET('/audit/checkpoints');
      if (error) throw error;
      return data;
    },
  });
  const key = useQuery({
    queryKey: ['audit-public-key'],
    staleTime: Infinity,
    queryFn: async () => {
      const { data, error } = await api.GET('/audit/public-key');
      if (error) throw error;
      return data;
    },
  });
  const own = verify.data?.chains.find((c) => c.chain === me?.organisation.id);
  const latest = checkpoints.data?.find((c) => c.chain === me?.organisation.id);
  const organisation = me?.organisation.name ?? '';
  return (
    <Stack maw={860}>
      <Title order={1} size="h2">
        {t('audit.chain.title')}
      </Title>
      <Text>{t('audit.chain.intro')}</Text>
      {verify.isError && <ProblemAlert>{t('app.error', { detail: problemText(verify.error) })}</ProblemAlert>}
      {checkpoints.isError && <ProblemAlert>{t('app.error', { detail: problemText(checkpoints.error) })}</ProblemAlert>}
      {verify.isFetching ? (
        <Loader aria-label={t('audit.chain.checking')} />
      ) : (
        verify.data && (
          <Alert role="status" color={verify.data.ok ? 'green' : 'red'}>
            <Stack gap={4}>
              {/* not the Alert's own title, nor green text: too pale on the light background (WCAG contrast) */}
              <Text fw={700} c={verify.data.ok ? undefined : 'red.9'}>
                {verify.data.ok ? t('audit.chain.ok') : t('audit.chain.broken')}
              </Text>
              <Text size="sm">{t('audit.chain.checked', { events: verify.data.events, chains: verify.data.chains.length })}</Text>
              {latest && own?.ok && (
                <Text size="sm" fw={700}>
                  {t('audit.chain.latest', { organisation, seq: latest.seq, at: timeText(t, latest.time), key: latest.keyId })}
                </Text>
              )}
              {latest && own?.ok && own.events > latest.seq && <Text size="sm">{t('audit.chain.sinceCheckpoint', { events: own.events - latest.seq })}</Text>}
              {!latest && <Text size="sm">{t('audit.chain.noCheckpoint', { organisation })}</Text>}
              {verify.data.unsequenced.entries > 0 && <Text size="sm">{t('audit.chain.unsequenced', { entries: verify.data.unsequenced.entries })}</Text>}
              {!verify.data.ok && <Text size="sm">{t('audit.chain.whatNow')}</Text>}
            </Stack>
          </Alert>
        )
      )}
      <Button variant="default" w="fit-content" aria-busy={verify.isFetching} onClick={() => !verify.isFetching && void verify.refetch()}>
        {t('audit.chain.again')}
      </Button>
      {verify.data && (
        <Table striped>
          <Table.Caption>{t('audit.chain.chains')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('report.organisation')}</Table.Th>
              <Table.Th scope="col">{t('audit.chain.events')}</Table.Th>
              <Table.Th scope="col">{t('audit.chain.state')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {verify.data.chains.map((c) => (
              <Table.Tr key={c.chain}>
                <Table.Th scope="row" fw="normal">
                  {c.organisationName ?? t('audit.chain.noOrganisation')}
                </Table.Th>
                <Table.Td>{c.events}</Table.Td>
                <Table.Td>
                  {c.ok
                    ? t('audit.chain.chainOk')
                    : t('audit.chain.chainBroken', { seq: c.firstBroken?.seq ?? 0, reason: t(`audit.chain.reason.${c.firstBroken?.reason ?? 'hash'}`) })}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Title order={2} size="h3">
        {t('audit.chain.checkpoints')}
      </Title>
      {checkpoints.data && checkpoints.data.length > 0 ? (
        <Table striped>
          <Table.Caption>{t('audit.chain.checkpointsCaption', { organisation })}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('audit.chain.upTo')}</Table.Th>
              <Table.Th scope="col">{t('audit.chain.signedAt')}</Table.Th>
              <Table.Th scope="col">{t('audit.chain.key')}</Table.Th>
              <Table.Th scope="col">{t('audit.chain.hash')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {checkpoints.data.slice(0, 10).map((c) => (
              <Table.Tr key={`${c.chain}-${c.seq}`}>
                <Table.Th scope="row" fw="normal">
                  {c.seq}
                </Table.Th>
                <Table.Td>{timeText(t, c.time)}</Table.Td>
                <Table.Td>{c.keyId}</Table.Td>
                <Table.Td>
                  <Code>{c.headHash.slice(0, 16)}…</Code>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        checkpoints.data && <Text>{t('audit.chain.noCheckpoint', { organisation })}</Text>
      )}
      {key.data && (
        <>
          <Title order={2} size="h3">
            {t('audit.chain.publicKey')}
          </Title>
          <Text>{t('audit.chain.publicKeyIntro', { algorithm: key.data.algorithm, key: key.data.keyId })}</Text>
          <Code block>{key.data.publicKeyPem}</Code>
        </>
      )}
    </Stack>
  );
}
