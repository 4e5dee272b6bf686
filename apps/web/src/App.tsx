import { Center, Loader } from '@mantine/core';
import { createBrowserRouter, Navigate, Outlet, RouterProvider, useLocation } from 'react-router';
import { useI18n } from './i18n/i18n';
import { ClientFilePage } from './pages/ClientFilePage';
import { ClientsPage } from './pages/ClientsPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { SignInPage } from './pages/SignInPage';
import { useSession } from './session/session';
import { Layout } from './ui/Layout';

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
  if (state === 'signed-out') return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  return <Outlet />;
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
            { index: true, element: <Navigate to="/clients" replace /> },
            { path: '/clients', element: <ClientsPage /> },
            { path: '/clients/:id', element: <ClientFilePage /> },
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
