import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { Action, SubjectName } from './ability.js';
import { PERMISSIONS, type Permission } from './permissions.js';

export const IS_PUBLIC = 'casework:isPublic';
export const POLICY = 'casework:policy';

export interface RoutePolicy {
  permission: Permission;
  action: Action;
  subject: SubjectName;
}

/** Reachable without signing in. Use on purpose and rarely: every use shows in the route snapshot. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * The route-level gate: the caller must hold the permission, i.e. be able to do its action on at least
 * one subject of its type (see PERMISSIONS). It never replaces the per-record check and the SQL rule
 * in the domain service.
 */
export const Requires = (permission: Permission) =>
  applyDecorators(SetMetadata(POLICY, { permission, ...PERMISSIONS[permission] } satisfies RoutePolicy), ApiBearerAuth());
