import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { Action, SubjectName } from './ability.js';

export const IS_PUBLIC = 'casework:isPublic';
export const POLICY = 'casework:policy';

export interface RoutePolicy {
  action: Action;
  subject: SubjectName;
}

/** Reachable without signing in. Use on purpose and rarely: every use shows in the route snapshot. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * The route-level gate: the caller must be able to do `action` on at least one `subject`. It never
 * replaces the per-record check and the SQL filter in the domain service.
 */
export const Policy = (action: Action, subject: SubjectName) =>
  applyDecorators(SetMetadata(POLICY, { action, subject } satisfies RoutePolicy), ApiBearerAuth());
