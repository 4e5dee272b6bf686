/**
 * Trajectory types: the activation and mediation routes, temporary work experience, and the four
 * Integration Through Work types a newcomer's screening assigns.
 */
export const TRAJECTORY_TYPES = ['ACTIVATION', 'MEDIATION', 'TWE', 'QUICK_MEDIATION', 'INTEGRATED_PATHWAY', 'COMBINED_PATHWAY', 'LINEAR_PATHWAY'] as const;
export type TrajectoryType = (typeof TRAJECTORY_TYPES)[number];

export const TRAJECTORY_STATUSES = ['PLANNED', 'ACTIVE', 'ON_HOLD', 'COMPLETED', 'STOPPED'] as const;
export type TrajectoryStatus = (typeof TRAJECTORY_STATUSES)[number];

/**
 * PLANNED -> ACTIVE <-> ON_HOLD -> COMPLETED | STOPPED. A running or paused trajectory can be
 * completed or stopped; a planned one can be stopped before it starts (the client moved, or the
 * plan was dropped). COMPLETED and STOPPED are final.
 */
const NEXT: Record<TrajectoryStatus, readonly TrajectoryStatus[]> = {
  PLANNED: ['ACTIVE', 'STOPPED'],
  ACTIVE: ['ON_HOLD', 'COMPLETED', 'STOPPED'],
  ON_HOLD: ['ACTIVE', 'COMPLETED', 'STOPPED'],
  COMPLETED: [],
  STOPPED: [],
};

export function allowedTrajectoryTransitions(from: TrajectoryStatus): readonly TrajectoryStatus[] {
  return NEXT[from];
}

export function isOpenTrajectory(status: TrajectoryStatus): boolean {
  return NEXT[status].length > 0;
}

export type TransitionCheck<S> = { ok: true } | { ok: false; allowed: readonly S[] };

/** Whether `from -> to` is legal; when not, the transitions that are (for a 409 that names them). */
export function checkTrajectoryTransition(from: TrajectoryStatus, to: TrajectoryStatus): TransitionCheck<TrajectoryStatus> {
  return NEXT[from].includes(to) ? { ok: true } : { ok: false, allowed: NEXT[from] };
}
