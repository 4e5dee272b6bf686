import { Anchor, Badge, Button, Checkbox, Group, Loader, PasswordInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, problemText, type Problem, type Schemas } from '../api/client';
import { formatDay, useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { usePageTitle } from '../ui/usePageTitle';
import { ProblemAlert } from '../ui/ProblemAlert';

export type Role = Schemas['UserDto']['roles'][number];
/** The roles an organisation admin hands out in their own organisation (platform administration is not theirs to give). */
export const TENANT_ROLES: Role[] = ['SOCIAL_WORKER', 'TRAJECTORY_GUIDE', 'MEDIATOR', 'TEAM_LEAD', 'PRIVACY_OFFICER', 'ORG_ADMIN', 'ANALYST'];

/** The staff of my organisation: who has which role, who may still sign in, whose certification runs out; and a new account. */
export function AdminUsersPage() {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const organisationId = me!.organisation.id;
  const navigate = useNavigate();
  const queries = useQueryClient();
  usePageTitle(t('adminUsers.title'));
  const users = useQuery({
    queryKey: ['admin-users', organisationId],
    queryFn: async () => {
      const { data, error } = await api.GET('/organisations/{id}/users', { params: { path: { id: organisationId } } });
      if (error) throw error;
      return [...data].sort((a, b) => a.displayName.localeCompare(b.displayName, locale));
    },
  });
  const [roles, setRoles] = useState<string[]>(['SOCIAL_WORKER']);
  const create = useMutation({
    mutationFn: async (body: Schemas['CreateUserDto']) => {
      const { data, error } = await api.POST('/organisations/{id}/users', { params: { path: { id: organisationId } }, body });
      if (error) throw error;
      return data;
    },
    onSuccess: async (user) => {
      await queries.invalidateQueries({ queryKey: ['admin-users'] });
      await navigate(`/admin/users/${user.id}`);
    },
  });
  const fieldError = (field: string) => (create.error as Problem | null)?.errors?.find((e) => e.field === field)?.message;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    create.mutate({
      displayName: text('displayName'),
      email: text('email'),
      workPhone: text('workPhone') || undefined,
      password: String(form.get('password') ?? ''),
      roles: roles as Role[],
    });
  };
  return (
    <Stack maw={960}>
      <Title order={1} size="h2">
        {t('adminUsers.title')}
      </Title>
      <Text>{t('adminUsers.intro', { organisation: me!.organisation.name })}</Text>
      {users.isError && <ProblemAlert>{t('app.error', { detail: problemText(users.error) })}</ProblemAlert>}
      {users.isPending ? (
        <Loader aria-label={t('app.loading')} />
      ) : (
        <Table striped>
          <Table.Caption>{t('adminUsers.caption', { organisation: me!.organisation.name })}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('adminUsers.name')}</Table.Th>
              <Table.Th scope="col">{t('adminUsers.roles')}</Table.Th>
              <Table.Th scope="col">{t('adminUsers.certifications')}</Table.Th>
              <Table.Th scope="col">{t('adminUsers.account')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {users.data?.map((user) => (
              <Table.Tr key={user.id}>
                <Table.Th scope="row" fw="normal">
                  <Anchor component={Link} to={`/admin/users/${user.id}`}>
                    {user.displayName}
                  </Anchor>
                  <Text size="sm" c="dimmed">
                    {user.email}
                  </Text>
                </Table.Th>
                <Table.Td>{user.roles.map((role) => t(`role.${role}`)).join(', ')}</Table.Td>
                <Table.Td>
                  {user.certifications.length === 0
                    ? t('adminUsers.noCertification')
                    : user.certifications.map((c) => (
                        <Text key={c.kind} size="sm">
                          {t(c.valid ? 'adminUsers.certValid' : 'adminUsers.certExpired', {
                            kind: t(`certification.${c.kind}`),
                            day: formatDay(c.expiresOn, locale),
                          })}
                        </Text>
                      ))}
                </Table.Td>
                <Table.Td>
                  {user.active ? (
                    t('adminUsers.active')
                  ) : (
                    <Badge color="gray" variant="outline">
                      {t('adminUsers.inactive')}
                    </Badge>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <section aria-labelledby="new-user">
        <Title order={2} size="h4" id="new-user" mb="xs">
          {t('adminUsers.new')}
        </Title>
        {create.isError && (
          <ProblemAlert focus title={t('adminUsers.createFailed')}>
            {problemText(create.error)}
          </ProblemAlert>
        )}
        <form onSubmit={submit} noValidate>
          <Stack maw={560}>
            <TextInput name="displayName" label={t('adminUsers.displayName')} required autoComplete="off" error={fieldError('displayName')} />
            <TextInput name="email" type="email" label={t('adminUsers.email')} required autoComplete="off" error={fieldError('email')} />
            <TextInput
              name="workPhone"
              type="tel"
              label={t('adminUsers.workPhone')}
              description={t('adminUsers.workPhoneHelp')}
              error={fieldError('workPhone')}
            />
            <PasswordInput
              name="password"
              label={t('adminUsers.password')}
              description={t('adminUsers.passwordHelp')}
              required
              autoComplete="new-password"
              error={fieldError('password')}
            />
            <Checkbox.Group label={t('adminUsers.roles')} value={roles} onChange={setRoles} required error={fieldError('roles')}>
              <Stack gap={6} mt="xs">
                {TENANT_ROLES.map((role) => (
                  <Checkbox key={role} value={role} label={t(`role.${role}`)} />
                ))}
              </Stack>
            </Checkbox.Group>
            <Group>
              <Button type="submit" loading={create.isPending}>
                {t('adminUsers.create')}
              </Button>
            </Group>
          </Stack>
        </form>
      </section>
    </Stack>
  );
}
