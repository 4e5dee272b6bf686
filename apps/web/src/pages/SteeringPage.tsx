import { Anchor, Button, Card, Checkbox, FileInput, Group, Loader, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api, download, problemText, upload, type Problem, type Schemas } from '../api/client';
import { useOrganisationName } from '../api/hooks';
import { formatDay, useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { belgianToday } from '../ui/AdminCertification';
import { ProblemAlert } from '../ui/ProblemAlert';
import { usePageTitle } from '../ui/usePageTitle';

type Meeting = Schemas['SteeringMeetingInGroupDto'];
type Plan = Schemas['ActionPlanDto'];

const mayRecord = (roles: string[]) => roles.includes('ORG_ADMIN') || roles.includes('TEAM_LEAD');

/** The agreements of my organisation, each with its steering group. */
export function SteeringListPage() {
  const { t } = useI18n();
  const nameOf = useOrganisationName();
  const { me } = useSession();
  usePageTitle(t('steering.title'));
  const agreements = useQuery({
    queryKey: ['agreements'],
    queryFn: async () => {
      const { data, error } = await api.GET('/agreements');
      if (error) throw error;
      return data;
    },
  });
  return (
    <Stack maw={860}>
      <Title order={1} size="h2">
        {t('steering.title')}
      </Title>
      <Text>{t('steering.intro')}</Text>
      {agreements.isError && <ProblemAlert>{t('app.error', { detail: problemText(agreements.error) })}</ProblemAlert>}
      {agreements.isPending ? (
        <Loader aria-label={t('app.loading')} />
      ) : (
        <Table striped>
          <Table.Caption>{t('steering.listCaption', { organisation: me!.organisation.name })}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('steering.parties')}</Table.Th>
              <Table.Th scope="col">{t('steering.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(agreements.data ?? []).map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/steering/${a.id}`}>
                    {a.partyOrganisationIds.map(nameOf).join(' – ')}
                  </Anchor>
                </Table.Td>
                <Table.Td>{t(`agreementStatus.${a.status}`)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

/** One agreement's steering group: its meetings (decisions, minutes, the figures since the meeting before) and its yearly action plans. */
export function SteeringPage() {
  const { id = '' } = useParams();
  const { t, locale } = useI18n();
  const { me } = useSession();
  const nameOf = useOrganisationName();
  usePageTitle(t('steering.groupTitle'));
  const group = useQuery({
    queryKey: ['steering', id],
    queryFn: async () => {
      const { data, error } = await api.GET('/agreements/{id}/steering', { params: { path: { id } } });
      if (error) throw error;
      return data;
    },
  });
  const agreements = useQuery({
    queryKey: ['agreements'],
    queryFn: async () => (await api.GET('/agreements')).data ?? [],
  });
  const parties = agreements.data?.find((a) => a.id === id)?.partyOrganisationIds ?? [];
  const recorder = mayRecord(me!.roles);
  return (
    <Stack maw={860}>
      <Anchor component={Link} to="/steering" size="sm">
        {t('steering.back')}
      </Anchor>
      <Title order={1} size="h2">
        {t('steering.groupTitle')}
      </Title>
      {parties.length > 0 && <Text>{t('steering.groupOf', { parties: parties.map(nameOf).join(' – ') })}</Text>}
      {group.isError && <ProblemAlert>{t('app.error', { detail: problemText(group.error) })}</ProblemAlert>}
      {group.isPending ? (
        <Loader aria-label={t('app.loading')} />
      ) : (
        group.data && (
          <>
            <Title order={2} size="h3">
              {t('steering.meetings')}
            </Title>
            {group.data.meetings.length === 0 && <Text>{t('steering.noMeetings')}</Text>}
            {group.data.meetings.map((meeting) => (
              <MeetingCard key={meeting.id} agreementId={id} meeting={meeting} recorder={recorder} />
            ))}
            {recorder && <MeetingForm agreementId={id} parties={parties} />}
            <Title order={2} size="h3" mt="md">
              {t('steering.plans')}
            </Title>
            {group.data.actionPlans.length === 0 && <Text>{t('steering.noPlans')}</Text>}
            {group.data.actionPlans.map((plan) => (
              <PlanCard key={plan.year} agreementId={id} plan={plan} recorder={recorder} locale={locale} />
            ))}
            {recorder && !group.data.actionPlans.some((p) => p.year === Number(belgianToday().slice(0, 4))) && (
              <PlanForm agreementId={id} year={Number(belgianToday().slice(0, 4))} />
            )}
          </>
        )
      )}
    </Stack>
  );
}

/** The figures of the period since the meeting before (the day after it), or the half year before the first one. */
function figuresSince(meeting: Meeting): string {
  const from = new Date(`${meeting.previousHeldOn ?? meeting.heldOn}T12:00:00Z`);
  if (meeting.previousHeldOn) from.setUTCDate(from.getUTCDate() + 1);
  else from.setUTCMonth(from.getUTCMonth() - 6);
  const query = new URLSearchParams({ view: 'region', period: 'month', from: from.toISOString().slice(0, 10), to: meeting.heldOn });
  return `/indicators?${query}`;
}

function MeetingCard({ agreementId, meeting, recorder }: { agreementId: string; meeting: Meeting; recorder: boolean }) {
  const { t, locale } = useI18n();
  const nameOf = useOrganisationName();
  const queries = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const attach = useMutation({
    mutationFn: async (minutes: File) => {
      const problem = await upload(`/agreements/${agreementId}/meetings/${meeting.id}/minutes`, 'PUT', minutes);
      if (problem) throw problem;
    },
    onSuccess: () => {
      setFile(null);
      void queries.invalidateQueries({ queryKey: ['steering', agreementId] });
    },
  });
  return (
    <Card withBorder component="article" aria-label={t('steering.meetingOf', { day: formatDay(meeting.heldOn, locale) })}>
      <Stack gap="xs">
        <Title order={3} size="h4">
          {t('steering.meetingOf', { day: formatDay(meeting.heldOn, locale) })}
        </Title>
        <Text size="sm">{t('steering.attendees', { organisations: meeting.attendeeOrganisationIds.map(nameOf).join(', ') })}</Text>
        <Text style={{ whiteSpace: 'pre-wrap' }}>{meeting.decisions}</Text>
        <Group>
          <Anchor component={Link} to={figuresSince(meeting)}>
            {meeting.previousHeldOn ? t('steering.figuresSince', { day: formatDay(meeting.previousHeldOn, locale) }) : t('steering.figuresBefore')}
          </Anchor>
          {meeting.minutesName && (
            <Button
              variant="subtle"
              size="compact-sm"
              onClick={() => void download(`/agreements/${agreementId}/meetings/${meeting.id}/minutes`, meeting.minutesName!).then(setProblem)}
            >
              {t('steering.minutes', { name: meeting.minutesName })}
            </Button>
          )}
        </Group>
        {recorder && (
          <Group align="end">
            <FileInput
              label={meeting.minutesName ? t('steering.replaceMinutes') : t('steering.attachMinutes')}
              value={file}
              onChange={setFile}
              accept="application/pdf,.pdf,.docx,.odt"
              clearable
            />
            <Button variant="default" disabled={!file} loading={attach.isPending} onClick={() => file && attach.mutate(file)}>
              {t('steering.upload')}
            </Button>
          </Group>
        )}
        {(problem || attach.isError) && <ProblemAlert focus>{problemText(problem ?? attach.error)}</ProblemAlert>}
      </Stack>
    </Card>
  );
}

function MeetingForm({ agreementId, parties }: { agreementId: string; parties: string[] }) {
  const { t } = useI18n();
  const nameOf = useOrganisationName();
  const queries = useQueryClient();
  const [attendees, setAttendees] = useState<string[]>(parties);
  const form = useRef<HTMLFormElement>(null);
  const record = useMutation({
    mutationFn: async (body: Schemas['NewMeetingDto']) => {
      const { data, error } = await api.POST('/agreements/{id}/meetings', { params: { path: { id: agreementId } }, body });
      if (error) throw error;
      return data;
    },
    onSuccess: () => {
      form.current?.reset(); // recorded: the form is empty again, so the same meeting is not saved twice
      void queries.invalidateQueries({ queryKey: ['steering', agreementId] });
    },
  });
  const fieldError = (field: string) => (record.error as Problem | null)?.errors?.find((e) => e.field.startsWith(field))?.message;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    record.mutate({ heldOn: String(form.get('heldOn') ?? ''), attendeeOrganisationIds: attendees, decisions: String(form.get('decisions') ?? '') });
  };
  return (
    <Card withBorder component="form" ref={form} onSubmit={submit} noValidate aria-label={t('steering.record')}>
      <Stack gap="sm">
        <Title order={3} size="h4">
          {t('steering.record')}
        </Title>
        <TextInput type="date" name="heldOn" label={t('steering.heldOn')} required max={belgianToday()} error={fieldError('heldOn')} />
        <Checkbox.Group label={t('steering.attendeesLabel')} value={attendees} onChange={setAttendees} error={fieldError('attendeeOrganisationIds')}>
          <Group mt="xs">
            {parties.map((org) => (
              <Checkbox key={org} value={org} label={nameOf(org)} />
            ))}
          </Group>
        </Checkbox.Group>
        <Textarea name="decisions" label={t('steering.decisions')} required autosize minRows={3} error={fieldError('decisions')} />
        {/* a problem with a field is said at the field; any other above the button */}
        {record.isError && !(record.error as unknown as Problem | null)?.errors?.length && <ProblemAlert focus>{problemText(record.error)}</ProblemAlert>}
        <Group>
          <Button type="submit" loading={record.isPending}>
            {t('steering.save')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

function PlanCard({ agreementId, plan, recorder, locale }: { agreementId: string; plan: Plan; recorder: boolean; locale: string }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  return (
    <Card withBorder component="article" aria-label={t('steering.planOf', { year: plan.year })}>
      <Stack gap="xs">
        <Title order={3} size="h4">
          {t('steering.planOf', { year: plan.year })}
        </Title>
        {editing ? (
          <PlanForm agreementId={agreementId} year={plan.year} current={plan} onDone={() => setEditing(false)} />
        ) : (
          <>
            <Text style={{ whiteSpace: 'pre-wrap' }}>{plan.plan}</Text>
            <Text fw={700} size="sm">
              {t('steering.evaluation')}
            </Text>
            <Text style={{ whiteSpace: 'pre-wrap' }}>{plan.evaluation ?? t('steering.notEvaluated')}</Text>
            <Text size="xs">{t('steering.updated', { on: new Date(plan.updatedAt).toLocaleDateString(locale, { dateStyle: 'long' }) })}</Text>
            {recorder && (
              <Group>
                <Button variant="default" size="compact-sm" onClick={() => setEditing(true)}>
                  {plan.evaluation ? t('steering.editPlan') : t('steering.evaluate')}
                </Button>
              </Group>
            )}
          </>
        )}
      </Stack>
    </Card>
  );
}

function PlanForm({ agreementId, year, current, onDone }: { agreementId: string; year: number; current?: Plan; onDone?: () => void }) {
  const { t } = useI18n();
  const queries = useQueryClient();
  const save = useMutation({
    mutationFn: async (body: Schemas['ActionPlanInputDto']) => {
      const { data, error } = await api.PUT('/agreements/{id}/action-plans/{year}', {
        params: { path: { id: agreementId, year }, header: current ? { 'If-Match': `"${current.version}"` } : {} },
        body,
      });
      if (error) throw error;
      return data;
    },
    onSuccess: () => {
      onDone?.();
      void queries.invalidateQueries({ queryKey: ['steering', agreementId] });
    },
  });
  const fieldError = (field: string) => (save.error as Problem | null)?.errors?.find((e) => e.field === field)?.message;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const evaluation = String(form.get('evaluation') ?? '').trim();
    save.mutate({ plan: String(form.get('plan') ?? ''), ...(evaluation ? { evaluation } : {}) });
  };
  return (
    <form onSubmit={submit} noValidate aria-label={t('steering.planOf', { year })}>
      <Stack gap="sm">
        {!current && (
          <Title order={3} size="h4">
            {t('steering.newPlan', { year })}
          </Title>
        )}
        <Textarea name="plan" label={t('steering.plan')} required autosize minRows={3} defaultValue={current?.plan} error={fieldError('plan')} />
        {current && (
          <Textarea
            name="evaluation"
            label={t('steering.evaluation')}
            autosize
            minRows={3}
            defaultValue={current.evaluation ?? ''}
            error={fieldError('evaluation')}
          />
        )}
        {save.isError && <ProblemAlert focus>{problemText(save.error)}</ProblemAlert>}
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t('steering.save')}
          </Button>
          {onDone && (
            <Button variant="subtle" onClick={onDone}>
              {t('edit.cancel')}
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}
