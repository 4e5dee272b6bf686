import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  allowedTrajectoryTransitions,
  TRAJECTORY_TYPES,
  type TrajectoryStatus,
  type TrajectoryType,
} from '../../../../libs/domain/src/trajectories/trajectory-status';
import { problemText, type Problem, type Purpose, type Schemas } from '../api/client';
import type { Translate } from '../i18n/i18n';

// The state machine itself comes from the API's own module (it imports nothing); the lists below mirror
// libs/domain/src/trajectories (trajectory.service.ts and trajectory.repository.ts import NestJS).
export { TRAJECTORY_TYPES, type TrajectoryStatus, type TrajectoryType };
export const TRAJECTORY_OUTCOMES = ['EMPLOYED', 'TRAINING', 'NOT_READY', 'MOVED', 'OTHER'] as const;
export type TrajectoryOutcome = (typeof TRAJECTORY_OUTCOMES)[number];
/** The types an executor (VDAB) runs: it starts, holds, resumes and completes them; the director may also stop them. */
const EXECUTED_TYPES: readonly TrajectoryType[] = ['MEDIATION', 'QUICK_MEDIATION', 'INTEGRATED_PATHWAY', 'COMBINED_PATHWAY', 'LINEAR_PATHWAY'];
/** The Integration Through Work types the executor's screening sets or switches. */
export const ITW_TYPES: readonly TrajectoryType[] = ['QUICK_MEDIATION', 'INTEGRATED_PATHWAY', 'COMBINED_PATHWAY', 'LINEAR_PATHWAY'];
const EXECUTOR_MOVES: readonly TrajectoryStatus[] = ['ACTIVE', 'ON_HOLD', 'COMPLETED'];
export const OBSTACLE_KINDS = ['MOBILITY', 'LANGUAGE', 'CHILDCARE', 'OTHER'] as const;
export const ACTIVITY_KINDS = ['TRAINING', 'LANGUAGE_COURSE', 'JOB_COACHING', 'TWE_PLACEMENT', 'MOBILE_TRAINING'] as const;
export const CHECKPOINT_SOURCES = ['CLIENT', 'EMPLOYER', 'DIMONA', 'OTHER'] as const;

export type Trajectory = Schemas['TrajectoryDto'];
/** The rows the OpenAPI document describes only in words (TrajectoryDto: obstacles, activities, checkpoints). */
export interface Obstacle {
  id: string;
  kind: string;
  status: 'OPEN' | 'ADDRESSED';
  actions: string | null;
  organisationId: string;
  version: number;
}
export interface Activity {
  id: string;
  kind: string;
  organisationId: string;
  providerOrganisationId: string | null;
  plannedFrom: string;
  plannedUntil: string | null;
  actualFrom: string | null;
  actualUntil: string | null;
  result: string | null;
  version: number;
}
export interface Observation {
  organisationId: string;
  working: boolean;
  source: string;
  recordedAt: string;
}
export interface Checkpoint {
  months: number;
  dueOn: string;
  working: boolean | null;
  disagree: boolean;
  observations: Observation[];
}
export const obstaclesOf = (t: Trajectory) => t.obstacles as unknown as Obstacle[];
export const activitiesOf = (t: Trajectory) => t.activities as unknown as Activity[];
export const checkpointsOf = (t: Trajectory) => t.checkpoints as unknown as Checkpoint[];

export const isClosed = (t: Trajectory) => t.status === 'COMPLETED' || t.status === 'STOPPED';

/** What the caller's organisation may do with the trajectory, as the API decides it (trajectory.service.ts). */
export function rightsOf(t: Trajectory, organisationId: string | undefined, caseworker: boolean) {
  const director = caseworker && t.directorOrganisationId === organisationId;
  const executor = caseworker && t.participants.some((p) => p.organisationId === organisationId && p.capacity === 'EXECUTOR');
  const participant = caseworker && t.participants.some((p) => p.organisationId === organisationId);
  const executed = EXECUTED_TYPES.includes(t.type as TrajectoryType);
  const moves = allowedTrajectoryTransitions(t.status as TrajectoryStatus).filter((to) => director || (executor && executed && EXECUTOR_MOVES.includes(to)));
  const types = isClosed(t) ? [] : TRAJECTORY_TYPES.filter((type) => type !== t.type && (director || (executor && executed && ITW_TYPES.includes(type))));
  return { director, executor, moves, types, work: participant && !isClosed(t), followUp: participant, addParticipant: director && !isClosed(t) };
}

/**
 * After a form was sent: emptied, and the keyboard user continues in its first field (the button they
 * pressed was disabled while it worked and lost the focus); the page's heading when the form is gone.
 */
export function startOver(form: HTMLFormElement, field: string) {
  form.reset();
  setTimeout(() => {
    const next = form.isConnected ? (form.elements.namedItem(field) as HTMLElement | null) : document.querySelector<HTMLElement>('main h1');
    if (next && !form.isConnected) next.tabIndex = -1;
    next?.focus();
  });
}

/** Today in Belgium (YYYY-MM-DD), the day the API counts a checkpoint due from. */
export const belgianToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(new Date());

/** The message for a failed change: someone else's change in between, said plainly; else the API's own words. */
export function changeProblem(error: unknown, t: Translate): string {
  const problem = error as Partial<Problem>;
  if (problem?.code === 'stale-version' || problem?.status === 412) return t('trajectoryWork.stale');
  return problemText(error);
}

/**
 * A change to the trajectory: the API answers the trajectory as it is now, which replaces the one on
 * screen. When someone else changed it in between (a stale version), the trajectory is read again, so
 * the user sees the current state and can make the change anew.
 */
export function useTrajectoryChange<Input>(id: string, purpose: Purpose | null, call: (input: Input) => Promise<{ data?: Trajectory; error?: unknown }>) {
  const queries = useQueryClient();
  const key = ['trajectory', id, purpose];
  return useMutation({
    mutationFn: async (input: Input) => {
      const { data, error } = await call(input);
      if (error || !data) throw error;
      return data;
    },
    onSuccess: (changed) => queries.setQueryData(key, changed),
    onError: async (error) => {
      const problem = error as Partial<Problem>;
      if (problem?.code === 'stale-version' || problem?.status === 409 || problem?.status === 412) await queries.invalidateQueries({ queryKey: key });
    },
  });
}
