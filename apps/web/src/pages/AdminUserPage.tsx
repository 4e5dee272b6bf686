import { Anchor, Badge, Button, Card, Checkbox, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, problemText, type Problem, type Schemas } from '../api/client';
import { formatDay, useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { CertificationForm, CertificationMeanings, type CertificationKind } from '../ui/AdminCertification';
import { usePageTitle } from '../ui/usePageTitle';
import { ProblemAlert } from '../ui/ProblemAlert';
import { TENANT_ROLES, type Role } from './AdminUsersPage';

type User = Schemas['UserDto'];

/**
 * One staff account: its roles (changed as a whole, guarded by the account's version so a colleague's
 * change in between is not overwritten), whether it may still sign in, and its partner-portal
 * certifications, which VDAB's admins record (the training is VDAB's).
 */
export function AdminUserPage() {
  const { id = '' } = useParams();
  const { t, locale } = useI18n();
  const { me } = useSession();
  const queries = useQueryClient();
  const user = useQuery({
    queryKey: ['admin-user', id],
    queryFn: async () => {
      const { data, error } = await api.GET('/users/{id}', { params: { path: { id } } });
      if (error) throw error;
      return data;
    },
  });
  usePageTitle(user.data?.displayName ?? t('app.loading'));
  // the roles ticked on screen, until saved; otherwise the account's own
  const [edited, setRoles] = useState<string[] | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const refresh = async (next?: User) => {
    setRoles(null);
    if (next) queries.setQueryData(['admin-user', id], next);
    else await queries.invalidateQueries({ queryKey: ['admin-user', id] });
    await queries.invalidateQueries({ queryKey: ['admin-users'] });
  };
  const update = useMutation({
    mutationFn: async ({ body }: { body: Schemas['UpdateUserDto']; done: string }) => {
      const { data, error } = await api.PATCH('/users/{id}', {
        params: { path: { id }, header: { 'If-Match': `"${user.data!.version}"` } },
        body,
      });
      if (error) throw error;
      return data;
    },
    onMutate: () => setSaved(null),
    onSuccess: async (next, { done }) => {
      await refresh(next);
      setSaved(done);
    },
    // someone changed the account in between: show the account as it is now, with the message
    onError: async (error) => {
      if ((error as unknown as Problem).status === 412) await refresh();
    },
  });
  const withdraw = useMutation({
    mutationFn: async (kind: CertificationKind) => {
      const { error } = await api.DELETE('/users/{id}/certifications/{kind}', { params: { path: { id, kind } } });
      if (error) throw error;
      return kind;
    },
    onMutate: () => setSaved(null),
    onSuccess: async (kind) => {
      await refresh();
      setSaved(t('adminUser.withdrawn', { kind: t(`certification.${kind}`) }));
    },
  });
  if (user.isPending) return <Loader aria-label={t('app.loading')} />;
  if (user.isError) return <ProblemAlert>{t('app.error', { detail: problemText(user.error) })}</ProblemAlert>;
  const u = user.data;
  const self = u.id === me?.id;
  const roles = edited ?? u.roles;
  // VDAB runs the partner-portal training: only its admins record certifications, never their own
  const certifies = me?.organisation.kind === 'VDAB' && me.roles.includes('ORG_ADMIN') && !self;
  const unchanged = roles.length === u.roles.length && roles.every((r) => u.roles.includes(r as Role));
  const extraRoles = u.roles.filter((r) => !TENANT_ROLES.includes(r));
  return (
    <Stack maw={820}>
      <Anchor component={Link} to="/admin/users" size="sm">
        {t('adminUser.back')}
      </Anchor>
      <Group>
        <Title order={1} size="h2">
          {u.displayName}
        </Title>
        {!u.active && (
          <Badge color="gray" variant="outline" size="lg">
            {t('adminUsers.inactive')}
          </Badge>
        )}
      </Group>
      <Text>
        {u.email}
        {u.workPhone ? `, ${u.workPhone}` : ''}
      </Text>
      <Text size="sm">{u.lastSignInAt ? t('adminUser.lastSignIn', { on: new Date(u.lastSignInAt) }) : t('adminUser.neverSignedIn')}</Text>
      {update.isError && <ProblemAlert focus>{problemText(update.error)}</ProblemAlert>}
      {withdraw.isError && <ProblemAlert focus>{problemText(withdraw.error)}</ProblemAlert>}
      <div role="status">{saved && <Text fw={500}>{saved}</Text>}</div>

      <Card withBorder component="section" aria-labelledby="roles">
        <Title order={2} size="h4" id="roles">
          {t('adminUser.roles')}
        </Title>
        <Text size="sm" mb="xs">
          {self ? t('adminUser.rolesSelf') : t('adminUser.rolesHelp')}
        </Text>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            update.mutate({ body: { roles: [...extraRoles, ...roles] as Role[] }, done: t('adminUser.rolesSaved') });
          }}
        >
          <Checkbox.Group label={t('adminUser.rolesLabel', { name: u.displayName })} value={roles} onChange={setRoles}>
            <Stack gap={6} my="xs">
              {TENANT_ROLES.map((role) => (
                <Checkbox key={role} value={role} label={t(`role.${role}`)} disabled={self && !u.roles.includes(role)} />
              ))}
            </Stack>
          </Checkbox.Group>
          <Button type="submit" size="sm" disabled={unchanged || roles.length === 0} loading={update.isPending && update.variables.body.roles !== undefined}>
            {t('adminUser.saveRoles')}
          </Button>
        </form>
      </Card>

      <Card withBorder component="section" aria-labelledby="account">
        <Title order={2} size="h4" id="account">
          {t('adminUser.account')}
        </Title>
        <Text size="sm" mb="xs">
          {u.active ? t('adminUser.activeHelp') : t('adminUser.inactiveHelp')}
        </Text>
        {!self && (
          <Button
            size="sm"
            w="fit-content"
            variant={u.active ? 'outline' : 'filled'}
            color={u.active ? 'red.9' : undefined}
            loading={update.isPending && update.variables.body.active !== undefined}
            onClick={() => update.mutate({ body: { active: !u.active }, done: u.active ? t('adminUser.deactivated') : t('adminUser.reactivated') })}
          >
            {u.active ? t('adminUser.deactivate') : t('adminUser.reactivate')}
          </Button>
        )}
      </Card>

      <Card withBorder component="section" aria-labelledby="certifications">
        <Title order={2} size="h4" id="certifications">
          {t('adminUsers.certifications')}
        </Title>
        <CertificationMeanings />
        <Table mt="sm">
          <Table.Caption>{t('adminUser.certCaption', { name: u.displayName })}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('adminCert.kind')}</Table.Th>
              <Table.Th scope="col">{t('adminCert.obtainedOn')}</Table.Th>
              <Table.Th scope="col">{t('adminCert.expiresOn')}</Table.Th>
              {certifies && <Table.Th scope="col">{t('adminUser.actions')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {u.certifications.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={certifies ? 4 : 3}>{t('adminUser.noCertification')}</Table.Td>
              </Table.Tr>
            )}
            {u.certifications.map((c) => (
              <Table.Tr key={c.kind}>
                <Table.Th scope="row" fw="normal">
                  {t(`certification.${c.kind}`)}
                  {!c.valid && (
                    <Badge ml="xs" color="red">
                      {t('adminUser.expired')}
                    </Badge>
                  )}
                </Table.Th>
                <Table.Td>{formatDay(c.obtainedOn, locale)}</Table.Td>
                <Table.Td>{formatDay(c.expiresOn, locale)}</Table.Td>
                {certifies && (
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="outline"
                      color="red.9"
                      loading={withdraw.isPending && withdraw.variables === c.kind}
                      onClick={() => withdraw.mutate(c.kind)}
                      aria-label={t('adminUser.withdrawNamed', { kind: t(`certification.${c.kind}`) })}
                    >
                      {t('adminUser.withdraw')}
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {certifies ? (
          <CertificationForm
            userId={u.id}
            personName={u.displayName}
            onRecorded={(c) => {
              void refresh().then(() => setSaved(t('adminUser.recorded', { kind: t(`certification.${c.kind}`), day: formatDay(c.expiresOn, locale) })));
            }}
          />
        ) : (
          <Text size="sm">{self && me?.organisation.kind === 'VDAB' ? t('adminUser.certSelf') : t('adminUser.certByVdab')}</Text>
        )}
      </Card>
    </Stack>
  );
}
