import { Title } from '@mantine/core';
import { useI18n } from '../i18n/i18n';
import { usePageTitle } from '../ui/usePageTitle';

export function NotFoundPage() {
  const { t } = useI18n();
  usePageTitle(t('app.notFound'));
  return (
    <Title order={1} size="h2">
      {t('app.notFound')}
    </Title>
  );
}
