import { Badge, Button, Card, Group, NativeSelect, Stack, Table, Text, Textarea, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import { api, type Problem, type Purpose } from '../api/client';
import { useOrganisationName, useOrganisations } from '../api/hooks';
import { formatDay, useI18n } from '../i18n/i18n';
import { purposeHeader } from '../session/session';
import { ProblemAlert } from './ProblemAlert';
import { ACTIVITY_KINDS, activitiesOf, changeProblem, startOver, useTrajectoryChange, type Activity, type Trajectory } from './trajectoryModel';

const fieldError = (error: unknown, field: string) => (error as Problem | null)?.errors?.find((e) => e.field === field)?.message;
const stateOf = (a: Activity) => (a.actualUntil ? 'DONE' : a.actualFrom ? 'RUNNING' : 'PLANNED');

/**
 * The activities of the trajectory (training, language course, job coaching, TWE placement, mobile
 * training): planned with their dates and provider, then recorded as they happen (actual dates, result).
 * Each organisation records its own; the API refuses another's row.
 */
export function TrajectoryActivities({
  trajectory,
  purpose,
  organisationId,
  work,
}: {
  trajectory: Trajectory;
  purpose: Purpose | null;
  organisationId?: string;
  work: boolean;
}) {
  const { t, locale } = useI18n();
  const nameOf = useOrganisationName();
  const organisations = useOrganisations();
  const [recording, setRecording] = useState<string | null>(null);
  const firstField = useRef<HTMLInputElement>(null);
  const rowButtons = useRef(new Map<string, HTMLButtonElement>());
  useEffect(() => {
    if (recording) firstField.current?.focus();
  }, [recording]);
  const activities = activitiesOf(trajectory);
  const recordingActivity = activities.find((a) => a.id === recording);
  const add = useTrajectoryChange(
    trajectory.id,
    purpose,
    (body: { kind: (typeof ACTIVITY_KINDS)[number]; providerOrganisationId?: string; plannedFrom: string; plannedUntil?: string }) =>
      api.POST('/trajectories/{id}/activities', { params: { path: { id: trajectory.id } }, headers: purposeHeader(purpose), body }),
  );
  const update = useTrajectoryChange(
    trajectory.id,
    purpose,
    ({ activity, ...body }: { activity: string; actualFrom?: string; actualUntil?: string; result?: string; version: number }) =>
      api.POST('/trajectories/{id}/activities/{activityId}', {
        params: { path: { id: trajectory.id, activityId: activity } },
        headers: purposeHeader(purpose),
        body,
      }),
  );
  const value = (form: FormData, name: string) => String(form.get(name) ?? '').trim() || undefined;
  const submitAdd = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const target = event.currentTarget;
    add.mutate(
      {
        kind: String(form.get('kind')) as (typeof ACTIVITY_KINDS)[number],
        providerOrganisationId: value(form, 'provider'),
        plannedFrom: value(form, 'plannedFrom') ?? '',
        plannedUntil: value(form, 'plannedUntil'),
      },
      { onSuccess: () => startOver(target, 'kind') },
    );
  };
  const submitDone = (event: FormEvent<HTMLFormElement>, activity: Activity) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    update.mutate(
      {
        activity: activity.id,
        actualFrom: value(form, 'actualFrom'),
        actualUntil: value(form, 'actualUntil'),
        result: value(form, 'result'),
        version: activity.version,
      },
      {
        onSuccess: () => {
          setRecording(null);
          setTimeout(() => rowButtons.current.get(activity.id)?.focus());
        },
      },
    );
  };
  const day = (d: string | null) => (d ? formatDay(d, locale) : '');
  const period = (from: string | null, until: string | null) =>
    from ? (until ? `${day(from)} – ${day(until)}` : t('trajectoryWork.from', { day: day(from) })) : '';
  const problem = add.error ?? update.error;
  return (
    <Stack component="section" aria-labelledby="trajectory-activities" gap="xs">
      <Title order={2} size="h5" id="trajectory-activities">
        {t('trajectoryWork.activities')}
      </Title>
      {activities.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('trajectoryWork.noActivities')}
        </Text>
      ) : (
        <Table>
          <Table.Caption>{t('trajectoryWork.activitiesCaption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('trajectoryWork.activity')}</Table.Th>
              <Table.Th scope="col">{t('trajectoryWork.state')}</Table.Th>
              <Table.Th scope="col">{t('trajectoryWork.planned')}</Table.Th>
              <Table.Th scope="col">{t('trajectoryWork.actual')}</Table.Th>
              <Table.Th scope="col">{t('trajectoryWork.result')}</Table.Th>
              {work && (
                <Table.Th scope="col">
                  <VisuallyHidden>{t('trajectoryWork.change')}</VisuallyHidden>
                </Table.Th>
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {activities.map((a) => {
              const kind = t(`activityKind.${a.kind}`);
              const state = stateOf(a);
              return (
                <Table.Tr key={a.id}>
                  <Table.Th scope="row" fw="normal">
                    {kind}
                    {a.providerOrganisationId && (
                      <Text size="sm" c="dimmed">
                        {t('trajectoryWork.providedBy', { organisation: nameOf(a.providerOrganisationId) })}
                      </Text>
                    )}
                  </Table.Th>
                  <Table.Td>
                    <Badge miw="max-content" variant={state === 'PLANNED' ? 'outline' : 'filled'} color={state === 'DONE' ? 'teal.9' : 'blue.9'}>
                      {t(`activityState.${state}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{period(a.plannedFrom, a.plannedUntil)}</Table.Td>
                  <Table.Td>{period(a.actualFrom, a.actualUntil)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{a.result ?? ''}</Table.Td>
                  {work && (
                    <Table.Td>
                      {a.organisationId === organisationId && recording !== a.id && (
                        <Button
                          ref={(element) => {
                            if (element) rowButtons.current.set(a.id, element);
                          }}
                          variant="default"
                          size="compact-sm"
                          aria-label={t('trajectoryWork.recordOne', { activity: kind })}
                          onClick={() => setRecording(a.id)}
                        >
                          {t('trajectoryWork.record')}
                        </Button>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      {recordingActivity && (
        <ActivityRecordForm
          activity={recordingActivity}
          firstField={firstField}
          pending={update.isPending}
          error={update.error}
          onSubmit={(event) => submitDone(event, recordingActivity)}
          onCancel={() => {
            setRecording(null);
            setTimeout(() => rowButtons.current.get(recordingActivity.id)?.focus());
          }}
        />
      )}
      {problem && <ProblemAlert focus>{changeProblem(problem, t)}</ProblemAlert>}
      {work && (
        <form onSubmit={submitAdd} aria-label={t('trajectoryWork.addActivity')} noValidate>
          <Stack gap="xs">
            <Group grow align="start">
              <NativeSelect
                name="kind"
                label={t('trajectoryWork.activityKind')}
                data={ACTIVITY_KINDS.map((k) => ({ value: k, label: t(`activityKind.${k}`) }))}
              />
              <NativeSelect
                name="provider"
                label={t('trajectoryWork.provider')}
                data={[
                  { value: '', label: t('trajectoryWork.noProvider') },
                  ...(organisations.data ?? []).filter((o) => o.kind !== 'PLATFORM').map((o) => ({ value: o.id, label: o.name })),
                ]}
              />
            </Group>
            <Group grow align="start">
              <TextInput name="plannedFrom" type="date" label={t('trajectoryWork.plannedFrom')} required error={fieldError(add.error, 'plannedFrom')} />
              <TextInput name="plannedUntil" type="date" label={t('trajectoryWork.plannedUntil')} error={fieldError(add.error, 'plannedUntil')} />
            </Group>
            <Button type="submit" variant="default" w="fit-content" loading={add.isPending}>
              {t('trajectoryWork.addActivity')}
            </Button>
          </Stack>
        </form>
      )}
    </Stack>
  );
}

/** The actual dates and the result of one's own activity; an end date marks it done. */
function ActivityRecordForm({
  activity: a,
  firstField,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  activity: Activity;
  firstField: RefObject<HTMLInputElement | null>;
  pending: boolean;
  error: unknown;
  onSubmit(event: FormEvent<HTMLFormElement>): void;
  onCancel(): void;
}) {
  const { t } = useI18n();
  const kind = t(`activityKind.${a.kind}`);
  return (
    <Card withBorder>
      <form onSubmit={onSubmit} aria-label={t('trajectoryWork.recordForm', { activity: kind })} noValidate>
        <Stack gap="xs">
          <Text fw={600}>{t('trajectoryWork.recordForm', { activity: kind })}</Text>
          <Group grow align="start">
            <TextInput
              ref={firstField}
              name="actualFrom"
              type="date"
              label={t('trajectoryWork.actualFrom')}
              defaultValue={a.actualFrom ?? a.plannedFrom}
              error={fieldError(error, 'actualFrom')}
            />
            <TextInput
              name="actualUntil"
              type="date"
              label={t('trajectoryWork.actualUntil')}
              description={t('trajectoryWork.actualUntilHelp')}
              defaultValue={a.actualUntil ?? ''}
              error={fieldError(error, 'actualUntil')}
            />
          </Group>
          <Textarea name="result" label={t('trajectoryWork.result')} defaultValue={a.result ?? ''} autosize minRows={2} maxLength={4000} />
          <Group gap="xs">
            <Button type="submit" loading={pending}>
              {t('edit.save')}
            </Button>
            <Button variant="default" onClick={onCancel}>
              {t('edit.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
