import { AppShell, Burger, Button, Group, NativeSelect, NavLink, Select, Stack, Text } from '@mantine/core';
import { NavLink as RouterLink, Outlet, useLocation, useMatch } from 'react-router';
import { useEffect, useRef, useState } from 'react';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { PURPOSES } from '../../../../libs/kernel/src/sharing';
import { api, type Purpose } from '../api/client';
import { LANGUAGES, useI18n, type Language } from '../i18n/i18n';
import { useSession } from '../session/session';
import { ProblemAlert } from './ProblemAlert';

export const CASEWORKERS: string[] = ['SOCIAL_WORKER', 'TRAJECTORY_GUIDE', 'MEDIATOR', 'TEAM_LEAD'];
/** The privacy officer's audit console: /privacy/events, /privacy/flags, /privacy/chain. */
const AUDIT_PAGES = ['events', 'flags', 'chain'] as const;
const LANGUAGE_NAMES: Record<Language, string> = { nl: 'Nederlands', fr: 'Français', en: 'English' };

/** The frame of every signed-in page: who you are, why you read (the purpose), the menu, the page. */
export function Layout() {
  const { t } = useI18n();
  const session = useSession();
  const me = session.me!;
  const caseworker = me.roles.some((role) => CASEWORKERS.includes(role));
  const [signOutFailed, setSignOutFailed] = useState(false);
  const [menuOpen, menu] = useDisclosure(false);
  // After moving to another page, the focus goes to its heading (else to the content), so keyboard and
  // screen-reader users start there instead of on the element that was clicked and is gone.
  const location = useLocation();
  const firstPage = useRef(true);
  useEffect(() => {
    menu.close();
    if (firstPage.current) {
      firstPage.current = false;
      return;
    }
    const moveFocus = () => {
      // not when the user is already somewhere on the new page (typing in its first field, say)
      const active = document.activeElement;
      if (active && active !== document.body && document.getElementById('main')?.contains(active)) return;
      const heading = document.querySelector<HTMLElement>('main h1');
      const target = heading ?? document.getElementById('main');
      if (heading) heading.tabIndex = -1;
      target?.focus();
    };
    requestAnimationFrame(moveFocus);
  }, [location.pathname]); // eslint-disable-line react-hooks/exhaustive-deps
  const signOut = (everywhere: boolean) => {
    setSignOutFailed(false);
    session.signOut(everywhere).catch(() => setSignOutFailed(true));
  };
  // the menu entry of the page's section is marked (aria-current through the router link)
  const clients = useMatch('/clients/*');
  const handovers = useMatch('/handovers/*');
  const privacy = useMatch('/privacy/*');
  const notifications = useMatch('/notifications');
  const indicators = useMatch('/indicators');
  const readsFigures = me.roles.includes('ANALYST') || me.roles.includes('TEAM_LEAD');
  const steering = useMatch('/steering/*');
  const steers = readsFigures || me.roles.includes('ORG_ADMIN');
  // the number of unread notifications, asked again every minute while the workspace is open
  const unread = useQuery({
    queryKey: ['notifications', 'unread'],
    queryFn: async () => (await api.GET('/notifications', { params: { query: { unread: true, limit: 1 } } })).data?.unread ?? 0,
    refetchInterval: 60_000,
  });
  const adminUsers = useMatch('/admin/users/*');
  const adminCertifications = useMatch('/admin/certifications');
  const adminAgreements = useMatch('/admin/agreements/*');
  const admin = me.roles.includes('ORG_ADMIN');
  const auditPage = AUDIT_PAGES.find((name) => location.pathname === `/privacy/${name}`);
  return (
    <AppShell header={{ height: 72 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !menuOpen } }} padding="md">
      <a href="#main" className="skip-link">
        {t('app.skip')}
      </a>
      <AppShell.Header px="md">
        <Group h="100%" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            {/* narrow screens and 200% zoom: the menu folds away behind a button instead of covering the page */}
            <Burger opened={menuOpen} onClick={menu.toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.main')} aria-expanded={menuOpen} />
            {/* the app's name is no heading: each page's own title is its h1 */}
            <Text fw={700} size="xl" component="span">
              {t('app.name')}
            </Text>
          </Group>
          <Group gap="md" wrap="wrap" justify="flex-end">
            {/* a combobox: the purpose changes when one is chosen, not at every arrow key (each change is a read) */}
            <Select
              label={t('purpose.label')}
              size="xs"
              w={220}
              allowDeselect={false}
              value={session.purpose ?? ''}
              onChange={(value) => session.setPurpose((value || null) as Purpose | null)}
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
            {readsFigures && <NavLink component={RouterLink} to="/indicators" label={t('nav.indicators')} active={Boolean(indicators)} />}
            {steers && <NavLink component={RouterLink} to="/steering" label={t('nav.steering')} active={Boolean(steering)} />}
            <NavLink component={RouterLink} to="/notifications" label={t('nav.notifications', { count: unread.data ?? 0 })} active={Boolean(notifications)} />
            {me.roles.includes('PRIVACY_OFFICER') && (
              <NavLink component={RouterLink} to="/privacy" end label={t('nav.privacy')} active={Boolean(privacy) && !auditPage} />
            )}
            {me.roles.includes('PRIVACY_OFFICER') &&
              AUDIT_PAGES.map((name) => (
                <NavLink key={name} component={RouterLink} to={`/privacy/${name}`} label={t(`nav.audit.${name}`)} active={auditPage === name} />
              ))}
            {admin && (
              <>
                <Text size="xs" fw={700} tt="uppercase" mt="md" mb={4} px="sm">
                  {t('nav.admin')}
                </Text>
                <NavLink component={RouterLink} to="/admin/users" label={t('nav.adminUsers')} active={Boolean(adminUsers)} />
                {me.organisation.kind === 'VDAB' && (
                  <NavLink component={RouterLink} to="/admin/certifications" label={t('nav.adminCertifications')} active={Boolean(adminCertifications)} />
                )}
                <NavLink component={RouterLink} to="/admin/agreements" label={t('nav.adminAgreements')} active={Boolean(adminAgreements)} />
              </>
            )}
          </div>
          <Stack gap="xs">
            <Text size="sm">{t('nav.user', { name: me.displayName, organisation: me.organisation.name })}</Text>
            {signOutFailed && <ProblemAlert focus>{t('nav.signOutFailed')}</ProblemAlert>}
            <Button variant="default" size="xs" onClick={() => signOut(false)}>
              {t('nav.signOut')}
            </Button>
            <Button variant="subtle" size="xs" onClick={() => signOut(true)}>
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
