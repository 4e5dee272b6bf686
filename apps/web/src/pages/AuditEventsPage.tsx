import { Anchor, Button, Group, Loader, NativeSelect, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { PURPOSES } from '../../../../libs/kernel/src/sharing';
import { api, problemText, type Schemas } from '../api/client';
import { formatDay, useI18n } from '../i18n/i18n';
import { actionText, COMMON_ACTIONS, dayStart, rolesText, timeText, useOwnStaff } from '../ui/AuditWords';
import { ProblemAlert } from '../ui/ProblemAlert';
import { usePageTitle } from '../ui/usePageTitle';

interface Filter {
  subjectId: string;
  actorId: string;
  action: string;
  decision: string;
  purpose: string;
  from: string;
  to: string;
}
const NO_FILTER: Filter = { subjectId: '', actorId: '', action: '', decision: '', purpose: '', from: '', to: '' };
const PAGE = 50;
type EventPage = Schemas['AuditEventPageDto'];

/**
 * The privacy officer searches the audit trail: what her organisation's staff did, and everything anyone
 * did with her organisation's clients, newest first, narrowed by person, user, action, outcome, purpose
 * and period, a page at a time.
 */
export function AuditEventsPage() {
  const { t, locale } = useI18n();
  usePageTitle(t('audit.events.title'));
  const staff = useOwnStaff();
  const [draft, setDraft] = useState<Filter>(NO_FILTER);
  const [filter, setFilter] = useState<Filter>(NO_FILTER);
  // the client is picked by name: the API knows persons by id only
  const [clientSearch, setClientSearch] = useState('');
  const [names, setNames] = useState<Record<string, string>>({});
  const [term] = useDebouncedValue(clientSearch.trim(), 300);
  const searching = term.length >= 2 && !Object.values(names).includes(term);
  const clients = useQuery({
    queryKey: ['privacy-lookup', term],
    enabled: searching,
    queryFn: async () => {
      const { data, error } = await api.GET('/clients', { params: { query: { search: term, limit: 25 } } });
      if (error) throw error;
      return data.items.map((c) => ({
        value: c.id,
        label: c.name ? `${c.name.lastName}, ${c.name.firstName} (${formatDay(c.name.birthDate, locale)})` : `${t('clients.unnamed')} (${c.id.slice(0, 8)})`,
      }));
    },
  });
  const clientOptions = [
    ...(draft.subjectId && names[draft.subjectId] ? [{ value: draft.subjectId, label: names[draft.subjectId] }] : []),
    ...(clients.data ?? []).filter((o) => o.value !== draft.subjectId),
  ];

  const events = useInfiniteQuery({
    queryKey: ['audit-events', filter],
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: EventPage) => last.nextCursor ?? undefined,
    queryFn: async ({ pageParam }): Promise<EventPage> => {
      const query = {
        limit: PAGE,
        ...(pageParam ? { cursor: pageParam } : {}),
        ...(filter.subjectId ? { subjectId: filter.subjectId } : {}),
        ...(filter.actorId ? { actorId: filter.actorId } : {}),
        ...(filter.action ? { action: filter.action } : {}),
        ...(filter.decision ? { decision: filter.decision as 'ALLOW' | 'DENY' } : {}),
        ...(filter.purpose ? { purpose: filter.purpose } : {}),
        ...(filter.from ? { from: dayStart(filter.from) } : {}),
        ...(filter.to ? { to: dayStart(filter.to, true) } : {}),
      };
      const { data, error } = await api.GET('/audit/events', { params: { query } });
      if (error) throw error;
      return data;
    },
  });
  // the staff member searched for: what they did in the last 30 days, in numbers
  const activity = useQuery({
    queryKey: ['audit-activity', filter.actorId],
    enabled: Boolean(filter.actorId),
    queryFn: async () => {
      const { data, error } = await api.GET('/audit/users/{id}/activity', { params: { path: { id: filter.actorId }, query: {} } });
      if (error) throw error;
      return data;
    },
  });
  const actorName = staff.data?.find((u) => u.id === filter.actorId)?.displayName ?? '';
  const rows = events.data?.pages.flatMap((p) => p.items) ?? [];
  const set = (field: keyof Filter) => (value: string) => setDraft((d) => ({ ...d, [field]: value }));
  const search = (event: FormEvent) => {
    event.preventDefault();
    setFilter(draft);
  };
  const clear = () => {
    setDraft(NO_FILTER);
    setFilter(NO_FILTER);
    setClientSearch('');
  };
  const who = (e: (typeof rows)[number]) => e.actorName ?? (rolesText(t, e.actorRoles) || t('audit.events.system'));

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('audit.events.title')}
      </Title>
      <Text>{t('audit.events.intro')}</Text>
      <form onSubmit={search} aria-label={t('audit.events.form')}>
        <Stack gap="sm">
          <Group align="end" wrap="wrap">
            <Select
              label={t('audit.events.client')}
              placeholder={t('audit.events.clientPlaceholder')}
              w={300}
              searchable
              clearable
              data={clientOptions}
              value={draft.subjectId || null}
              searchValue={clientSearch}
              onSearchChange={setClientSearch}
              onChange={(value, option) => {
                if (value && option) setNames((n) => ({ ...n, [value]: option.label }));
                set('subjectId')(value ?? '');
              }}
              nothingFoundMessage={term.length >= 2 && !clients.isPending ? t('clients.empty') : t('audit.events.clientHelp')}
            />
            <NativeSelect
              label={t('audit.events.actor')}
              value={draft.actorId}
              onChange={(e) => set('actorId')(e.currentTarget.value)}
              data={[
                { value: '', label: t('audit.events.anyone') },
                ...(staff.data ?? []).map((u) => ({ value: u.id, label: `${u.displayName} (${rolesText(t, u.roles)})` })),
              ]}
            />
            <NativeSelect
              label={t('audit.events.action')}
              value={draft.action}
              onChange={(e) => set('action')(e.currentTarget.value)}
              data={[{ value: '', label: t('audit.events.anyAction') }, ...COMMON_ACTIONS.map((a) => ({ value: a, label: actionText(t, a) }))]}
            />
          </Group>
          <Group align="end" wrap="wrap">
            <NativeSelect
              label={t('audit.events.outcome')}
              value={draft.decision}
              onChange={(e) => set('decision')(e.currentTarget.value)}
              data={[
                { value: '', label: t('audit.events.anyOutcome') },
                { value: 'ALLOW', label: t('audit.decision.ALLOW') },
                { value: 'DENY', label: t('audit.decision.DENY') },
              ]}
            />
            <NativeSelect
              label={t('audit.events.purpose')}
              value={draft.purpose}
              onChange={(e) => set('purpose')(e.currentTarget.value)}
              data={[{ value: '', label: t('audit.events.anyPurpose') }, ...PURPOSES.map((p) => ({ value: p, label: t(`purpose.${p}`) }))]}
            />
            <TextInput type="date" label={t('report.from')} value={draft.from} onChange={(e) => set('from')(e.currentTarget.value)} />
            <TextInput type="date" label={t('report.to')} value={draft.to} onChange={(e) => set('to')(e.currentTarget.value)} />
            <Button type="submit">{t('audit.events.search')}</Button>
            <Button variant="default" onClick={clear}>
              {t('audit.events.clear')}
            </Button>
          </Group>
        </Stack>
      </form>
      {staff.isError && <ProblemAlert>{t('app.error', { detail: problemText(staff.error) })}</ProblemAlert>}
      {filter.actorId && activity.data && (
        <Text>
          {t('audit.events.activity', {
            name: actorName,
            events: activity.data.events,
            persons: activity.data.distinctPersons,
            denied: activity.data.denied,
            breakGlass: activity.data.breakGlass,
          })}
        </Text>
      )}
      {events.isError && <ProblemAlert focus>{t('app.error', { detail: problemText(events.error) })}</ProblemAlert>}
      {events.isPending ? (
        <Loader aria-label={t('app.loading')} />
      ) : (
        events.data && (
          <>
            <Text role="status" size="sm">
              {events.hasNextPage ? t('audit.events.countMore', { count: rows.length }) : t('audit.events.count', { count: rows.length })}
            </Text>
            <Table striped>
              <Table.Caption>{t('audit.events.caption')}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('audit.events.when')}</Table.Th>
                  <Table.Th scope="col">{t('audit.events.who')}</Table.Th>
                  <Table.Th scope="col">{t('report.organisation')}</Table.Th>
                  <Table.Th scope="col">{t('audit.events.what')}</Table.Th>
                  <Table.Th scope="col">{t('audit.events.onWhom')}</Table.Th>
                  <Table.Th scope="col">{t('audit.events.purpose')}</Table.Th>
                  <Table.Th scope="col">{t('report.ground')}</Table.Th>
                  <Table.Th scope="col">{t('audit.events.outcome')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={8}>{t('audit.events.empty')}</Table.Td>
                  </Table.Tr>
                )}
                {rows.map((e) => (
                  <Table.Tr key={`${e.chain}-${e.seq}`}>
                    <Table.Th scope="row" fw="normal">
                      {timeText(t, e.occurredAt)}
                    </Table.Th>
                    <Table.Td>{who(e)}</Table.Td>
                    <Table.Td>{e.actorOrganisationName ?? ''}</Table.Td>
                    <Table.Td>
                      {actionText(t, e.action)}
                      {e.categories.length > 0 && (
                        <Text size="xs" c="dimmed">
                          {e.categories.map((c) => t(`category.${c}`)).join(', ')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {e.subjectPersonId && (
                        <Anchor component={Link} fz="inherit" to={`/privacy/clients/${e.subjectPersonId}`}>
                          {names[e.subjectPersonId] ?? t('audit.events.person', { id: e.subjectPersonId.slice(0, 8) })}
                        </Anchor>
                      )}
                    </Table.Td>
                    <Table.Td>{e.purpose ? t(`purpose.${e.purpose}`) : ''}</Table.Td>
                    <Table.Td>{e.ground ? t(`audit.ground.${e.ground.kind}`) : ''}</Table.Td>
                    <Table.Td>
                      <Text span fz="inherit" fw={700} c={e.decision === 'DENY' ? 'red.9' : undefined}>
                        {t(`audit.decision.${e.decision}`)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {events.hasNextPage && (
              // not disabled while it loads: the keyboard user's focus stays on it, for the page after
              <Button
                variant="default"
                w="fit-content"
                aria-busy={events.isFetchingNextPage}
                onClick={() => !events.isFetchingNextPage && void events.fetchNextPage()}
              >
                {t('audit.events.more')}
              </Button>
            )}
          </>
        )
      )}
    </Stack>
  );
}
