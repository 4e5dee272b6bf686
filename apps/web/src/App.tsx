import { Center, Loader } from '@mantine/core';
import { createBrowserRouter, Navigate, Outlet, RouterProvider, useLocation } from 'react-router';
import { useI18n } from './i18n/i18n';
import { AccessReportPage } from './pages/AccessReportPage';
import { ClientFilePage } from './pages/ClientFilePage';
import { ClientsPage } from './pages/ClientsPage';
import { ConsentPage } from './pages/ConsentPage';
import { HandoverComposerPage } from './pages/HandoverComposerPage';
import { HandoverPage } from './pages/HandoverPage';
import { HandoversPage } from './pages/HandoversPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { PrivacyPage } from './pages/PrivacyPage';
import { RegisterClientPage } from './pages/RegisterClientPage';
import { SignInPage } from './pages/SignInPage';
import { TrajectoryPage } from './pages/TrajectoryPage';
import { signedOutOnPurpose, useSession } from './session/session';
import { CASEWORKERS, Layout } from './ui/Layout';

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

/** The first page after signing in: a privacy officer's lookup, else the caseload. */
function Home() {
  const { me } = useSession();
  const officerOnly = me?.roles.includes('PRIVACY_OFFICER') && !me.roles.some((r) => CASEWORKERS.includes(r));
  return <Navigate to={officerOnly ? '/privacy' : '/clients'} replace />;
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
            { path: '/clients', element: <ClientsPage /> },
            { path: '/clients/new', element: <RegisterClientPage /> },
            { path: '/clients/:id', element: <ClientFilePage /> },
            { path: '/clients/:id/consents/new', element: <ConsentPage /> },
            { path: '/clients/:id/handover', element: <HandoverComposerPage /> },
            { path: '/handovers', element: <HandoversPage /> },
            { path: '/handovers/:id', element: <HandoverPage /> },
            { path: '/trajectories/:id', element: <TrajectoryPage /> },
            { path: '/privacy', element: <PrivacyPage /> },
            { path: '/privacy/clients/:id', element: <AccessReportPage /> },
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
