import { Center, Loader } from '@mantine/core';
import type { ComponentType } from 'react';
import { createBrowserRouter, Navigate, Outlet, RouterProvider, useLocation } from 'react-router';
import { useI18n } from './i18n/i18n';
import { NotFoundPage } from './pages/NotFoundPage';
import { SignInPage } from './pages/SignInPage';
import { signedOutOnPurpose, useSession } from './session/session';
import { CASEWORKERS, Layout } from './ui/Layout';

/**
 * A page loaded when first opened: the sign-in page's first load carries React, Mantine and the
 * session, not every screen (issue 16: <= 250 KB of gzipped JavaScript).
 */
function page<Name extends string>(load: () => Promise<Record<Name, ComponentType>>, name: Name) {
  return async () => ({ Component: (await load())[name] });
}

/** Pages behind sign-in: while the session is restored from its cookie, a loader; without one, the sign-in page. */
function SignedIn() {
  const { state } = useSession();
  const { t } = useI18n();
  const location = useLocation();
  if (state === 'restoring')
    return (
      <Center h="100vh">
        <Loader aria-label={t('app.loading')} />
      </Center>
    );
  // back to the page asked for after signing in, but not after signing out: the next person at this
  // computer does not land on the previous user's client
  if (state === 'signed-out') return <Navigate to="/sign-in" replace state={signedOutOnPurpose() ? null : { from: location.pathname + location.search }} />;
  return <Outlet />;
}

/** The first page after signing in: a privacy officer's lookup, an admin's staff list, an analyst's figures, else the caseload. */
function Home() {
  const { me } = useSession();
  const caseworker = me?.roles.some((r) => CASEWORKERS.includes(r));
  const officerOnly = me?.roles.includes('PRIVACY_OFFICER') && !caseworker;
  const adminOnly = me?.roles.includes('ORG_ADMIN') && !caseworker && !officerOnly;
  const analystOnly = me?.roles.includes('ANALYST') && !caseworker && !officerOnly && !adminOnly;
  return <Navigate to={officerOnly ? '/privacy' : adminOnly ? '/admin/users' : analystOnly ? '/indicators' : '/clients'} replace />;
}

const router = createBrowserRouter(
  [
    { path: '/sign-in', element: <SignInPage /> },
    {
      element: <SignedIn />,
      children: [
        {
          element: <Layout />,
          children: [
            { index: true, element: <Home /> },
            { path: '/clients', lazy: page(() => import('./pages/ClientsPage'), 'ClientsPage') },
            { path: '/clients/new', lazy: page(() => import('./pages/RegisterClientPage'), 'RegisterClientPage') },
            { path: '/clients/:id', lazy: page(() => import('./pages/ClientFilePage'), 'ClientFilePage') },
            { path: '/clients/:id/consents/new', lazy: page(() => import('./pages/ConsentPage'), 'ConsentPage') },
            { path: '/clients/:id/handover', lazy: page(() => import('./pages/HandoverComposerPage'), 'HandoverComposerPage') },
            { path: '/clients/:id/signal', lazy: page(() => import('./pages/HandoverComposerPage'), 'SignalComposerPage') },
            { path: '/handovers', lazy: page(() => import('./pages/HandoversPage'), 'HandoversPage') },
            { path: '/indicators', lazy: page(() => import('./pages/IndicatorsPage'), 'IndicatorsPage') },
            { path: '/steering', lazy: page(() => import('./pages/SteeringPage'), 'SteeringListPage') },
            { path: '/steering/:id', lazy: page(() => import('./pages/SteeringPage'), 'SteeringPage') },
            { path: '/handovers/:id', lazy: page(() => import('./pages/HandoverPage'), 'HandoverPage') },
            { path: '/trajectories/:id', lazy: page(() => import('./pages/TrajectoryPage'), 'TrajectoryPage') },
            { path: '/notifications', lazy: page(() => import('./pages/NotificationsPage'), 'NotificationsPage') },
            { path: '/privacy', lazy: page(() => import('./pages/PrivacyPage'), 'PrivacyPage') },
            { path: '/privacy/clients/:id', lazy: page(() => import('./pages/AccessReportPage'), 'AccessReportPage') },
            // the organisation admin's screens: staff, certifications (VDAB), agreements
            { path: '/admin/users', lazy: page(() => import('./pages/AdminUsersPage'), 'AdminUsersPage') },
            { path: '/admin/users/:id', lazy: page(() => import('./pages/AdminUserPage'), 'AdminUserPage') },
            { path: '/admin/certifications', lazy: page(() => import('./pages/AdminCertificationsPage'), 'AdminCertificationsPage') },
            { path: '/admin/agreements', lazy: page(() => import('./pages/AdminAgreementsPage'), 'AdminAgreementsPage') },
            { path: '/admin/agreements/new', lazy: page(() => import('./pages/AdminAgreementNewPage'), 'AdminAgreementNewPage') },
            { path: '/admin/agreements/:id', lazy: page(() => import('./pages/AdminAgreementPage'), 'AdminAgreementPage') },
            { path: '/privacy/events', lazy: page(() => import('./pages/AuditEventsPage'), 'AuditEventsPage') },
            { path: '/privacy/flags', lazy: page(() => import('./pages/AuditFlagsPage'), 'AuditFlagsPage') },
            { path: '/privacy/chain', lazy: page(() => import('./pages/AuditChainPage'), 'AuditChainPage') },
            { path: '*', element: <NotFoundPage /> },
          ],
        },
      ],
    },
  ],
  { basename: '/app' },
);

export function App() {
  return <RouterProvider router={router} />;
}
