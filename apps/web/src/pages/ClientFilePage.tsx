import { Anchor, Button, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, problemText, type Schemas } from '../api/client';
import { useOrganisationName } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { purposeHeader, useSession } from '../session/session';
import { CATEGORIES, Section, SECTION_OF, type Category } from '../ui/Section';
import { usePageTitle } from '../ui/usePageTitle';
import { ProblemAlert } from '../ui/ProblemAlert';

type FileSections = Partial<Record<(typeof SECTION_OF)[Category], Record<string, unknown>>>;

/** One client: our own file by category, then each partner's file as far as the sharing rule opens it for the purpose on screen. */
export function ClientFilePage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const { purpose } = useSession();
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
          <Button component={Link} to={`/clients/${id}/handover`}>
            {t('handover.compose')}
          </Button>
        </Group>
      )}
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
            {file.withheld.length > 0 && <Text size="sm">{t('client.withheld', { categories: file.withheld.map((c) => t(`category.${c}`)).join(', ') })}</Text>}
            <SimpleGrid cols={{ base: 1, md: 2 }}>{sections(file as FileSections, opened)}</SimpleGrid>
          </Stack>
        );
      })}
    </Stack>
  );
}
