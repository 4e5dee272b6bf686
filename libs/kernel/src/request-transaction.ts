import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { escapeLiteral } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { AUDIT_SINK, type AuditActor, type AuditRecord, type AuditSink } from './audit-record.js';
import type { RequestContext } from './request-context.js';

/** The non-owner role request work runs as, so row-level security applies (owners and superusers bypass it). */
export const APP_DB_ROLE = 'casework_app';

/**
 * A transaction-bound SQL runner handed to repositories. It always resolves to the result rows
 * (TypeORM's own `query()` answers `[rows, count]` for UPDATE and DELETE, which is easy to misread).
 */
export interface Tx {
  query<Row = any>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Records an audit event; it is written in this transaction, after the work and before commit. */
  audit(record: AuditRecord): void;
}

/** The audit actor a request context stands for. */
export function actorOf(ctx: RequestContext): AuditActor {
  return {
    userId: ctx.userId,
    organisationId: ctx.organisationId,
    roles: ctx.roles,
    purpose: ctx.purpose,
    requestId: ctx.requestId,
    clientAddress: ctx.clientAddress,
    userAgent: ctx.userAgent,
  };
}

/**
 * Runs request work in one transaction as the restricted application role, with the caller's
 * identity in transaction-local settings (`app.user_id`, `app.organisation_id`, `app.purpose`) for row-level
 * security policies. `set_config(..., true)` dies with the transaction, so a pooled connection never
 * carries one caller's tenant into the next request.
 */
@Injectable()
export class RequestTransaction {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional() @Inject(AUDIT_SINK) private readonly sink?: AuditSink,
  ) {}

  run<T>(ctx: RequestContext, work: (tx: Tx) => Promise<T>): Promise<T> {
    // set_config('role', ..., true) is SET LOCAL ROLE; the role and the context are set with BEGIN.
    const settings =
      `SELECT set_config('role', '${APP_DB_ROLE}', true), set_config('app.user_id', ${escapeLiteral(ctx.userId ?? '')}, true), ` +
      `set_config('app.organisation_id', ${escapeLiteral(ctx.organisationId ?? '')}, true), set_config('app.request_id', ${escapeLiteral(ctx.requestId ?? '')}, true), ` +
      `set_config('app.purpose', ${escapeLiteral(ctx.purpose ?? '')}, true)`;
    return this.transaction(settings, (manager) => this.audited(manager, actorOf(ctx), work));
  }

  /**
   * Work done on behalf of no signed-in user (sign-in, token refresh), still as the restricted role.
   * Audit records name their actor through `actor`.
   */
  runAnonymous<T>(work: (tx: Tx) => Promise<T>, actor: AuditActor = {}): Promise<T> {
    return this.transaction(`SET LOCAL ROLE ${APP_DB_ROLE}`, (manager) => this.audited(manager, actor, work));
  }

  /** A transaction that only records audit events (a denied attempt, which changes nothing else). */
  record(actor: AuditActor, records: AuditRecord[]): Promise<void> {
    return this.runAnonymous(async (tx) => records.forEach((r) => tx.audit(r)), actor);
  }

  /**
   * BEGIN and the transaction's settings in one round trip (a simple-query batch, so the values are
   * inlined as escaped literals), the work, then COMMIT; ROLLBACK when anything fails. TypeORM's
   * `transaction()` would send BEGIN on its own: one round trip more on every request
   * (test/e2e/statement-count.e2e.spec.ts).
   */
  private async transaction<T>(settings: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    let committing = false;
    try {
      await runner.query(`BEGIN; ${settings}`);
      const result = await work(runner.manager);
      committing = true;
      await runner.query('COMMIT');
      return result;
    } catch (error) {
      // Also when the settings failed after BEGIN: never hand the connection back inside a transaction.
      // (A failed COMMIT has ended the transaction already.)
      if (!committing) await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /**
   * Runs the work, then writes the audit records it collected in the same transaction. If they
   * cannot be written the transaction fails: no result leaves without its audit trail (fail closed).
   */
  private async audited<T>(manager: EntityManager, actor: AuditActor, work: (tx: Tx) => Promise<T>): Promise<T> {
    const runner = manager.queryRunner;
    if (!runner) throw new Error('RequestTransaction: the transaction has no query runner');
    const query = async (sql: string, params?: unknown[]) => (await runner.query(sql, params, true)).records;
    const records: AuditRecord[] = [];
    const result = await work({ query, audit: (record) => records.push(record) });
    if (records.length > 0) {
      if (!this.sink) throw new Error('RequestTransaction: audit records but no audit sink is registered');
      await this.sink.write(query, actor, records);
    }
    return result;
  }
}
