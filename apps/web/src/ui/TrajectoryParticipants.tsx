import { Anchor, Button, Group, List, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { type FormEvent } from 'react';
import { api, type Purpose } from '../api/client';
import { useOrganisationName, usePartners } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { purposeHeader } from '../session/session';
import { ProblemAlert } from './ProblemAlert';
import { changeProblem, useTrajectoryChange, type Trajectory } from './trajectoryModel';

type Card = { displayName?: string; email?: string; workPhone?: string } | null;

/**
 * The organisations on the trajectory, each with its responsible case worker to call; the director adds
 * a partner as executor or adviser (recorded as that partner's involvement), guarded by the version.
 */
export function TrajectoryParticipants({ trajectory, purpose, canAdd }: { trajectory: Trajectory; purpose: Purpose | null; canAdd: boolean }) {
  const { t } = useI18n();
  const nameOf = useOrganisationName();
  const partners = usePartners().filter((o) => !trajectory.participants.some((p) => p.organisationId === o.id));
  const add = useTrajectoryChange(trajectory.id, purpose, (body: { organisationId: string; capacity: 'EXECUTOR' | 'ADVISOR'; version: number }) =>
    api.POST('/trajectories/{id}/participants', { params: { path: { id: trajectory.id } }, headers: purposeHeader(purpose), body }),
  );
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    add.mutate({
      organisationId: String(form.get('organisation')),
      capacity: String(form.get('capacity')) as 'EXECUTOR' | 'ADVISOR',
      version: trajectory.version,
    });
  };
  return (
    <Stack component="section" aria-labelledby="participants" gap="xs">
      <Title order={2} size="h5" id="participants">
        {t('trajectory.participants')}
      </Title>
      <List>
        {trajectory.participants.map((p) => {
          const responsible = p.responsible as Card;
          return (
            <List.Item key={`${p.organisationId}-${p.capacity}`}>
              {nameOf(p.organisationId)}: {t(`capacity.${p.capacity}`)}
              {responsible?.displayName && (
                <Text span size="sm">
                  {' '}
                  ({t('trajectoryWork.responsible', { name: responsible.displayName })}
                  {responsible.email && (
                    <>
                      {', '}
                      <Anchor href={`mailto:${responsible.email}`} size="sm">
                        {responsible.email}
                      </Anchor>
                    </>
                  )}
                  {responsible.workPhone && `, ${responsible.workPhone}`})
                </Text>
              )}
            </List.Item>
          );
        })}
      </List>
      {canAdd && partners.length > 0 && (
        <form onSubmit={submit} aria-label={t('trajectoryWork.addParticipant')}>
          <Stack gap="xs">
            {add.isError && <ProblemAlert focus>{changeProblem(add.error, t)}</ProblemAlert>}
            <Group align="end">
              <NativeSelect name="organisation" label={t('trajectoryWork.partner')} data={partners.map((o) => ({ value: o.id, label: o.name }))} />
              <NativeSelect
                name="capacity"
                label={t('trajectoryWork.capacity')}
                data={(['EXECUTOR', 'ADVISOR'] as const).map((c) => ({ value: c, label: t(`capacity.${c}`) }))}
              />
              <Button type="submit" variant="default" loading={add.isPending}>
                {t('trajectoryWork.addParticipant')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
