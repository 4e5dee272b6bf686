import { Button, Card, Group, NativeSelect, Radio, Stack, Table, Text, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { api, type Purpose } from '../api/client';
import { useOrganisationName } from '../api/hooks';
import { formatDay, useI18n } from '../i18n/i18n';
import { purposeHeader } from '../session/session';
import { ProblemAlert } from './ProblemAlert';
import {
  belgianToday,
  changeProblem,
  CHECKPOINT_SOURCES,
  checkpointsOf,
  startOver,
  useTrajectoryChange,
  type Checkpoint,
  type Trajectory,
} from './trajectoryModel';

/**
 * The follow-up at 6, 12, 18 and 24 months after the start: the day each falls due (counted from the
 * start), whether the person is in work as the organisations saw it, and the caller's own observation
 * once a checkpoint is due (also after the trajectory closed). Every organisation keeps its own; when
 * they disagree, it shows.
 */
export function TrajectoryCheckpoints({
  trajectory,
  purpose,
  organisationId,
  followUp,
}: {
  trajectory: Trajectory;
  purpose: Purpose | null;
  organisationId?: string;
  followUp: boolean;
}) {
  const { t, locale } = useI18n();
  const nameOf = useOrganisationName();
  const checkpoints = checkpointsOf(trajectory);
  const today = belgianToday();
  const due = checkpoints.filter((c) => c.dueOn <= today);
  const [working, setWorking] = useState<'yes' | 'no' | ''>('');
  const record = useTrajectoryChange(
    trajectory.id,
    purpose,
    ({ months, ...body }: { months: number; working: boolean; source: (typeof CHECKPOINT_SOURCES)[number] }) =>
      api.POST('/trajectories/{id}/checkpoints/{months}', { params: { path: { id: trajectory.id, months } }, headers: purposeHeader(purpose), body }),
  );
  const [missing, setMissing] = useState(false);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!working) {
      setMissing(true);
      return;
    }
    const form = new FormData(event.currentTarget);
    const target = event.currentTarget;
    record.mutate(
      { months: Number(form.get('months')), working: working === 'yes', source: String(form.get('source')) as (typeof CHECKPOINT_SOURCES)[number] },
      {
        onSuccess: () => {
          setWorking('');
          startOver(target, 'months');
        },
      },
    );
  };
  const summary = (c: Checkpoint) =>
    c.disagree ? t('checkpoint.disagree') : c.working === null ? t('checkpoint.none') : c.working ? t('checkpoint.working') : t('checkpoint.notWorking');
  return (
    <Stack component="section" aria-labelledby="trajectory-checkpoints" gap="xs">
      <Title order={2} size="h5" id="trajectory-checkpoints">
        {t('checkpoint.title')}
      </Title>
      {checkpoints.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('checkpoint.notStarted')}
        </Text>
      ) : (
        <Table>
          <Table.Caption>{t('checkpoint.caption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('checkpoint.moment')}</Table.Th>
              <Table.Th scope="col">{t('checkpoint.dueOn')}</Table.Th>
              <Table.Th scope="col">{t('checkpoint.inWork')}</Table.Th>
              <Table.Th scope="col">{t('checkpoint.observations')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {checkpoints.map((c) => (
              <Table.Tr key={c.months}>
                <Table.Th scope="row" fw="normal">
                  {t('checkpoint.months', { months: c.months })}
                </Table.Th>
                <Table.Td>{formatDay(c.dueOn, locale)}</Table.Td>
                <Table.Td>{summary(c)}</Table.Td>
                <Table.Td>
                  {c.observations.length === 0
                    ? c.dueOn > today
                      ? t('checkpoint.notDue')
                      : t('checkpoint.toRecord')
                    : c.observations
                        .map((o) =>
                          t('checkpoint.observation', {
                            organisation: nameOf(o.organisationId),
                            working: o.working ? 'yes' : 'no',
                            source: t(`checkpointSource.${o.source}`),
                            on: new Date(o.recordedAt),
                          }),
                        )
                        .join('; ')}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {followUp && due.length > 0 && (
        <Card withBorder>
          <form onSubmit={submit} aria-label={t('checkpoint.record')} noValidate>
            <Stack gap="xs">
              <Text fw={600}>{t('checkpoint.record')}</Text>
              {record.isError && <ProblemAlert focus>{changeProblem(record.error, t)}</ProblemAlert>}
              <Group align="start" grow>
                <NativeSelect
                  name="months"
                  label={t('checkpoint.moment')}
                  defaultValue={String((due.find((c) => !c.observations.some((o) => o.organisationId === organisationId)) ?? due[due.length - 1]).months)}
                  data={due.map((c) => ({ value: String(c.months), label: t('checkpoint.months', { months: c.months }) }))}
                />
                <NativeSelect
                  name="source"
                  label={t('checkpoint.source')}
                  data={CHECKPOINT_SOURCES.map((s) => ({ value: s, label: t(`checkpointSource.${s}`) }))}
                />
              </Group>
              <Radio.Group
                label={t('checkpoint.inWorkQuestion')}
                value={working}
                onChange={(value) => {
                  setWorking(value as 'yes' | 'no');
                  setMissing(false);
                }}
                required
                error={missing ? t('checkpoint.inWorkMissing') : undefined}
              >
                <Group mt={4}>
                  <Radio value="yes" label={t('checkpoint.yes')} />
                  <Radio value="no" label={t('checkpoint.no')} />
                </Group>
              </Radio.Group>
              <Text size="sm" c="dimmed">
                {t('checkpoint.ownHelp')}
              </Text>
              <Button type="submit" w="fit-content" loading={record.isPending}>
                {t('checkpoint.submit')}
              </Button>
            </Stack>
          </form>
        </Card>
      )}
    </Stack>
  );
}
