import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { RequestContext } from '../context/request-context.js';

/** The non-owner role request work runs as, so row-level security applies (owners and superusers bypass it). */
export const APP_DB_ROLE = 'casework_app';

/**
 * A transaction-bound SQL runner handed to repositories. It always resolves to the result rows
 * (TypeORM's own `query()` answers `[rows, count]` for UPDATE and DELETE, which is easy to misread).
 */
export interface Tx {
  query<Row = any>(sql: string, params?: unknown[]): Promise<Row[]>;
}

function rowsOnly(manager: EntityManager): Tx {
  const runner = manager.queryRunner;
  if (!runner) throw new Error('RequestTransaction: the transaction has no query runner');
  return { query: async (sql, params) => (await runner.query(sql, params, true)).records };
}

/**
 * Runs request work in one transaction as the restricted application role, with the caller's
 * identity in transaction-local settings (`app.user_id`, `app.organisation_id`, `app.purpose`) for row-level
 * security policies. `set_config(..., true)` dies with the transaction, so a pooled connection never
 * carries one caller's tenant into the next request.
 */
@Injectable()
export class RequestTransaction {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  run<T>(ctx: RequestContext, work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL ROLE ${APP_DB_ROLE}`);
      await manager.query(
        `SELECT set_config('app.user_id', $1, true), set_config('app.organisation_id', $2, true),
                set_config('app.request_id', $3, true), set_config('app.purpose', $4, true)`,
        [ctx.userId, ctx.organisationId, ctx.requestId, ctx.purpose ?? ''],
      );
      return work(rowsOnly(manager));
    });
  }

  /** Work done on behalf of no signed-in user (sign-in, token refresh), still as the restricted role. */
  runAnonymous<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL ROLE ${APP_DB_ROLE}`);
      return work(rowsOnly(manager));
    });
  }
}
