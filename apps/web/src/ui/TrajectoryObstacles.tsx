import { Badge, Button, Group, NativeSelect, Stack, Table, Text, Textarea, Title, VisuallyHidden } from '@mantine/core';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, type Purpose } from '../api/client';
import { useOrganisationName } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { purposeHeader } from '../session/session';
import { ProblemAlert } from './ProblemAlert';
import { changeProblem, OBSTACLE_KINDS, obstaclesOf, startOver, useTrajectoryChange, type Obstacle, type Trajectory } from './trajectoryModel';

/**
 * The obstacles to work (mobility, language, childcare, other), each with its state and the actions
 * taken. Each organisation records and updates its own (the API refuses another's row); an open one is
 * marked addressed with what was done, and can be opened again.
 */
export function TrajectoryObstacles({
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
  const { t } = useI18n();
  const nameOf = useOrganisationName();
  const [addressing, setAddressing] = useState<string | null>(null);
  const rowButtons = useRef(new Map<string, HTMLButtonElement>());
  const addressField = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (addressing) addressField.current?.focus(); // the keyboard user continues in the field that opened
  }, [addressing]);
  const obstacles = obstaclesOf(trajectory);
  const path = { params: { path: { id: trajectory.id } }, headers: purposeHeader(purpose) };
  const add = useTrajectoryChange(trajectory.id, purpose, (body: { kind: (typeof OBSTACLE_KINDS)[number]; actions?: string }) =>
    api.POST('/trajectories/{id}/obstacles', { ...path, body }),
  );
  const update = useTrajectoryChange(
    trajectory.id,
    purpose,
    ({ obstacle, ...body }: { obstacle: string; status: Obstacle['status']; actions?: string; version: number }) =>
      api.POST('/trajectories/{id}/obstacles/{obstacleId}', {
        params: { path: { id: trajectory.id, obstacleId: obstacle } },
        headers: purposeHeader(purpose),
        body,
      }),
  );
  const submitAdd = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const target = event.currentTarget;
    const actions = String(form.get('actions') ?? '').trim();
    add.mutate(
      { kind: String(form.get('kind')) as (typeof OBSTACLE_KINDS)[number], actions: actions || undefined },
      { onSuccess: () => startOver(target, 'kind') },
    );
  };
  const submitAddressed = (event: FormEvent<HTMLFormElement>, obstacle: Obstacle) => {
    event.preventDefault();
    const actions = String(new FormData(event.currentTarget).get('actions') ?? '').trim();
    update.mutate(
      { obstacle: obstacle.id, status: 'ADDRESSED', actions: actions || undefined, version: obstacle.version },
      {
        onSuccess: () => {
          setAddressing(null);
          setTimeout(() => rowButtons.current.get(obstacle.id)?.focus()); // back on the row, now "reopen"
        },
      },
    );
  };
  const problem = add.error ?? update.error;
  return (
    <Stack component="section" aria-labelledby="trajectory-obstacles" gap="xs">
      <Title order={2} size="h5" id="trajectory-obstacles">
        {t('trajectoryWork.obstacles')}
      </Title>
      {obstacles.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('trajectoryWork.noObstacles')}
        </Text>
      ) : (
        <Table>
          <Table.Caption>{t('trajectoryWork.obstaclesCaption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('trajectoryWork.obstacle')}</Table.Th>
              <Table.Th scope="col">{t('trajectoryWork.state')}</Table.Th>
              <Table.Th scope="col">{t('trajectoryWork.actions')}</Table.Th>
              <Table.Th scope="col">{t('trajectoryWork.recordedBy')}</Table.Th>
              {work && (
                <Table.Th scope="col">
                  <VisuallyHidden>{t('trajectoryWork.change')}</VisuallyHidden>
                </Table.Th>
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {obstacles.map((o) => {
              const own = work && o.organisationId === organisationId;
              const kind = t(`obstacleKind.${o.kind}`);
              return (
                <Table.Tr key={o.id}>
                  <Table.Th scope="row" fw="normal">
                    {kind}
                  </Table.Th>
                  <Table.Td>
                    <Badge miw="max-content" variant={o.status === 'ADDRESSED' ? 'filled' : 'outline'} color={o.status === 'ADDRESSED' ? 'teal.9' : 'red.9'}>
                      {t(`obstacleStatus.${o.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'pre-wrap' }}>
                    {addressing === o.id ? (
                      <form onSubmit={(event) => submitAddressed(event, o)} aria-label={t('trajectoryWork.addressForm', { obstacle: kind })}>
                        <Stack gap="xs">
                          <Textarea
                            name="actions"
                            label={t('trajectoryWork.actionsTaken')}
                            defaultValue={o.actions ?? ''}
                            autosize
                            minRows={2}
                            maxLength={4000}
                            ref={addressField}
                          />
                          <Group gap="xs">
                            <Button type="submit" size="compact-sm" loading={update.isPending}>
                              {t('trajectoryWork.saveAddressed')}
                            </Button>
                            <Button variant="default" size="compact-sm" onClick={() => setAddressing(null)}>
                              {t('edit.cancel')}
                            </Button>
                          </Group>
                        </Stack>
                      </form>
                    ) : (
                      (o.actions ?? '')
                    )}
                  </Table.Td>
                  <Table.Td>{nameOf(o.organisationId)}</Table.Td>
                  {work && (
                    <Table.Td>
                      {own && addressing !== o.id && (
                        <Button
                          ref={(element) => {
                            if (element) rowButtons.current.set(o.id, element);
                          }}
                          variant="default"
                          size="compact-sm"
                          loading={update.isPending && update.variables?.obstacle === o.id}
                          aria-label={t(o.status === 'OPEN' ? 'trajectoryWork.addressOne' : 'trajectoryWork.reopenOne', { obstacle: kind })}
                          onClick={() =>
                            o.status === 'OPEN'
                              ? setAddressing(o.id)
                              : update.mutate(
                                  { obstacle: o.id, status: 'OPEN', version: o.version },
                                  { onSuccess: () => setTimeout(() => rowButtons.current.get(o.id)?.focus()) },
                                )
                          }
                        >
                          {t(o.status === 'OPEN' ? 'trajectoryWork.address' : 'trajectoryWork.reopen')}
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
      {problem && <ProblemAlert focus>{changeProblem(problem, t)}</ProblemAlert>}
      {work && (
        <form onSubmit={submitAdd} aria-label={t('trajectoryWork.addObstacle')}>
          <Group align="end">
            <NativeSelect
              name="kind"
              label={t('trajectoryWork.obstacleKind')}
              data={OBSTACLE_KINDS.map((k) => ({ value: k, label: t(`obstacleKind.${k}`) }))}
            />
            <Textarea name="actions" label={t('trajectoryWork.obstacleActions')} autosize minRows={1} maxLength={4000} style={{ flex: 1, minWidth: '14rem' }} />
            <Button type="submit" variant="default" loading={add.isPending}>
              {t('trajectoryWork.addObstacle')}
            </Button>
          </Group>
        </form>
      )}
    </Stack>
  );
}
