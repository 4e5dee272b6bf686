import { AppShell, Button, Group, NativeSelect, NavLink, Stack, Text, Title } from '@mantine/core';
import { NavLink as RouterLink, Outlet, useMatch } from 'react-router';
import type { Purpose } from '../api/client';
import { LANGUAGES, useI18n, type Language } from '../i18n/i18n';
import { useSession } from '../session/session';

export const CASEWORKERS: string[] = ['SOCIAL_WORKER', 'TRAJECTORY_GUIDE', 'MEDIATOR', 'TEAM_LEAD'];
const PURPOSES: Purpose[] = ['MEDIATION', 'ACTIVATION', 'TWE', 'ADVICE'];
const LANGUAGE_NAMES: Record<Language, string> = { nl: 'Nederlands', fr: 'Français', en: 'English' };

/** The frame of every signed-in page: who you are, why you read (the purpose), the menu, the page. */
export function Layout() {
  const { t } = useI18n();
  const session = useSession();
  const me = session.me!;
  const caseworker = me.roles.some((role) => CASEWORKERS.includes(role));
  // the menu entry of the page's section is marked (aria-current through the router link)
  const clients = useMatch('/clients/*');
  const handovers = useMatch('/handovers/*');
  const privacy = useMatch('/privacy/*');
  return (
    <AppShell header={{ height: 72 }} navbar={{ width: 240, breakpoint: 'sm' }} padding="md">
      <a href="#main" className="skip-link">
        {t('app.skip')}
      </a>
      <AppShell.Header px="md">
        <Group h="100%" justify="space-between" wrap="nowrap">
          <Title order={1} size="h3">
            {t('app.name')}
          </Title>
          <Group gap="md" wrap="nowrap">
            <NativeSelect
              label={t('purpose.label')}
              size="xs"
              value={session.purpose ?? ''}
              onChange={(event) => session.setPurpose((event.currentTarget.value || null) as Purpose | null)}
              data={[{ value: '', label: t('purpose.none') }, ...PURPOSES.map((p) => ({ value: p, label: t(`purpose.${p}`) }))]}
            />
            <NativeSelect
              label={t('nav.language')}
              size="xs"
              value={session.language}
              onChange={(event) => void session.setLanguage(event.currentTarget.value as Language)}
              data={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
            />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" component="nav" aria-label={t('nav.main')}>
        <Stack justify="space-between" h="100%">
          <div>
            {caseworker && <NavLink component={RouterLink} to="/clients" label={t('nav.clients')} active={Boolean(clients)} />}
            {caseworker && <NavLink component={RouterLink} to="/handovers" label={t('nav.handovers')} active={Boolean(handovers)} />}
            {me.roles.includes('PRIVACY_OFFICER') && <NavLink component={RouterLink} to="/privacy" label={t('nav.privacy')} active={Boolean(privacy)} />}
          </div>
          <Stack gap="xs">
            <Text size="sm">{t('nav.user', { name: me.displayName, organisation: me.organisation.name })}</Text>
            <Button variant="default" size="xs" onClick={() => void session.signOut()}>
              {t('nav.signOut')}
            </Button>
            <Button variant="subtle" size="xs" onClick={() => void session.signOut(true)}>
              {t('nav.signOutEverywhere')}
            </Button>
          </Stack>
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
