import { Anchor, Button, Group, Loader, SimpleGrid, Stack, Tabs, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, problemText, type Schemas } from '../api/client';
import { useOrganisationName } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { purposeHeader, useSession } from '../session/session';
import { ClientConsents } from '../ui/ClientConsents';
import { ClientInvolvements } from '../ui/ClientInvolvements';
import { ClientNotes } from '../ui/ClientNotes';
import { ClientTrajectories } from '../ui/ClientTrajectories';
import { CATEGORIES, Section, SECTION_OF, type Category } from '../ui/Section';
import { usePageTitle } from '../ui/usePageTitle';
import { ProblemAlert } from '../ui/ProblemAlert';

type FileSections = Partial<Record<(typeof SECTION_OF)[Category], Record<string, unknown>>>;

/**
 * One client: our own file by category, then each partner's file as far as the sharing rule opens it for
 * the purpose on screen; beside it, in tabs, the consents and involvements we recorded, the notes and
 * the trajectories.
 */
export function ClientFilePage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const { purpose } = useSession();
  // the tab is in the address: a reload or a link opens the same one
  const [params, setParams] = useSearchParams();
  const asked = params.get('tab') ?? 'file';
  const client = useQuery({
    queryKey: ['client', id, purpose],
    queryFn: async () => {
      const { data, error } = await api.GET('/clients/{id}', { params: { path: { id }, header: purposeHeader(purpose) } });
      if (error) throw error;
      return data;
    },
  });
  const nameOf = useOrganisationName();
  const identity = client.data?.ownFile?.identity ?? client.data?.shared.find((f) => f.identity)?.identity;
  const name = identity ? `${identity.firstName} ${identity.lastName}` : '';
  // not the client's name: titles go into the browser's history, its sync and shared screens
  usePageTitle(t('client.pageTitle'));

  if (client.isPending) return <Loader aria-label={t('app.loading')} />;
  if (client.isError) return <ProblemAlert>{t('app.error', { detail: problemText(client.error) })}</ProblemAlert>;
  const own = client.data.ownFile;
  // a tab this file does not have (a partner's file has no consents tab) opens the file: no tab may be left unselected
  const tab = (own ? ['file', 'consents', 'involvements', 'notes', 'trajectories'] : ['file', 'notes', 'trajectories']).includes(asked) ? asked : 'file';
  const sections = (file: FileSections, only?: ReadonlyArray<Category>, edit?: { clientId: string; version: number }) =>
    CATEGORIES.filter((c) => !only || only.includes(c)).map((category) => (
      <Section key={category} category={category} content={file[SECTION_OF[category]]} edit={edit} />
    ));
  return (
    <Stack>
      <Anchor component={Link} to="/clients" size="sm">
        {t('client.back')}
      </Anchor>
      <Title order={1} size="h2">
        {t('client.title', { name })}
      </Title>
      {own && (
        <Group>
          <Button component={Link} to={`/clients/${id}/consents/new`} variant="default">
            {t('consent.title')}
          </Button>
          <Button component={Link} to={`/clients/${id}/signal`} variant="default">
            {t('signal.action')}
          </Button>
          <Button component={Link} to={`/clients/${id}/handover`}>
            {t('handover.compose')}
          </Button>
        </Group>
      )}
      <Tabs value={tab} onChange={(value) => setParams(value && value !== 'file' ? { tab: value } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="file">{t('client.tab.file')}</Tabs.Tab>
          {own && <Tabs.Tab value="consents">{t('client.tab.consents')}</Tabs.Tab>}
          {own && <Tabs.Tab value="involvements">{t('client.tab.involvements')}</Tabs.Tab>}
          <Tabs.Tab value="notes">{t('client.tab.notes')}</Tabs.Tab>
          <Tabs.Tab value="trajectories">{t('client.tab.trajectories')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="file" pt="md">
          <Stack>
            <Stack component="section" aria-labelledby="own-file">
              <Title order={2} size="h3" id="own-file">
                {t('client.ownFile')}
              </Title>
              {own ? (
                <>
                  <Text size="sm" c="dimmed">
                    {t('client.version', { version: own.version, on: new Date(own.updatedAt) })}
                  </Text>
                  <SimpleGrid cols={{ base: 1, md: 2 }}>{sections(own as FileSections, undefined, { clientId: id, version: own.version })}</SimpleGrid>
                </>
              ) : (
                <Text>{t('client.noOwnFile')}</Text>
              )}
            </Stack>
            {client.data.shared.length === 0 && purpose && <Text>{t('client.nothingShared')}</Text>}
            {client.data.shared.map((file: Schemas['SharedFileDto']) => {
              const opened = CATEGORIES.filter((c) => !file.withheld.includes(c));
              return (
                <Stack component="section" key={file.organisationId} aria-labelledby={`shared-${file.organisationId}`}>
                  <Title order={2} size="h3" id={`shared-${file.organisationId}`}>
                    {t('client.sharedFile', { organisation: nameOf(file.organisationId) })}
                  </Title>
                  {file.withheld.length > 0 && (
                    <Text size="sm">{t('client.withheld', { categories: file.withheld.map((c) => t(`category.${c}`)).join(', ') })}</Text>
                  )}
                  <SimpleGrid cols={{ base: 1, md: 2 }}>{sections(file as FileSections, opened)}</SimpleGrid>
                </Stack>
              );
            })}
          </Stack>
        </Tabs.Panel>
        {own && (
          <Tabs.Panel value="consents" pt="md">
            <ClientConsents clientId={id} />
          </Tabs.Panel>
        )}
        {own && (
          <Tabs.Panel value="involvements" pt="md">
            <ClientInvolvements clientId={id} />
          </Tabs.Panel>
        )}
        <Tabs.Panel value="notes" pt="md">
          <ClientNotes clientId={id} canWrite={Boolean(own)} />
        </Tabs.Panel>
        <Tabs.Panel value="trajectories" pt="md">
          <ClientTrajectories clientId={id} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
