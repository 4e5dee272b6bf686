import { Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Navigate, useLocation } from 'react-router';
import { problemText, type Problem } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { usePageTitle } from '../ui/usePageTitle';
import { ProblemAlert } from '../ui/ProblemAlert';

export function SignInPage() {
  const { t } = useI18n();
  const session = useSession();
  const location = useLocation();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  usePageTitle(t('signIn.title'));
  if (session.state === 'signed-in') return <Navigate to={(location.state as { from?: string } | null)?.from ?? '/clients'} replace />;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setProblem(null); // an identical second failure is announced again
    setProblem(await session.signIn(String(form.get('email')), String(form.get('password'))));
    setBusy(false);
  };
  return (
    <Center mih="100vh" p="md">
      <Paper component="main" withBorder p="xl" w={420} maw="100%">
        <form onSubmit={(event) => void submit(event)} noValidate>
          <Stack>
            <Title order={1} size="h2">
              {t('signIn.title')}
            </Title>
            <Text size="sm">{t('signIn.intro')}</Text>
            {problem && (
              <ProblemAlert focus title={t('signIn.failed')}>
                {problemText(problem)}
              </ProblemAlert>
            )}
            <TextInput name="email" type="email" label={t('signIn.email')} autoComplete="username" required />
            <PasswordInput name="password" label={t('signIn.password')} autoComplete="current-password" required />
            <Button type="submit" loading={busy}>
              {t('signIn.submit')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
