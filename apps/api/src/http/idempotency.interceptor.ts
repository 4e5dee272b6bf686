import { createHash } from 'node:crypto';
import { RequestTransaction, type RequestContext } from '@app/kernel';
import { InvalidInput, isUniqueViolation } from '@app/kernel';
import { ConflictException, Injectable, UnprocessableEntityException, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import canonicalize from 'canonicalize';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, type Observable } from 'rxjs';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/**
 * Honours `Idempotency-Key` on the routes it is applied to: the same key with the same request returns
 * the first answer (status and body) without doing the work again; the same key with another request
 * is a 422; a retry while the first is still running is a 409. Keys are per user. The stored answer is
 * written after the work's own transaction commits: a crash in between means a retry runs again, and
 * the version check of every change then answers 409 instead of doing it twice.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly transaction: RequestTransaction) {}

  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = execution.switchToHttp().getRequest<FastifyRequest & { user?: RequestContext }>();
    const header = request.headers[IDEMPOTENCY_HEADER.toLowerCase()];
    const key = Array.isArray(header) ? header.join(', ') : header;
    if (key === undefined || !request.user) return next.handle();
    return from(this.handle(request.user, key, request, execution.switchToHttp().getResponse<FastifyReply>(), next));
  }

  private async handle(ctx: RequestContext, key: string, request: FastifyRequest, reply: FastifyReply, next: CallHandler): Promise<unknown> {
    if (key.length < 1 || key.length > 200) throw new InvalidInput([{ field: IDEMPOTENCY_HEADER, code: 'maxLength', params: { max: 200 } }]);
    const hash = createHash('sha256')
      .update(`${request.method} ${request.originalUrl.split('?')[0]}\n${canonicalize(request.body ?? {})}`)
      .digest();
    const stored = await this.transaction.run(ctx, async (tx) => {
      const [row] = await tx.query(`SELECT request_hash, response_status, response_body FROM idempotency_key WHERE user_id = $1 AND key = $2`, [
        ctx.userId,
        key,
      ]);
      if (row) {
        if (!Buffer.from(row.request_hash).equals(hash)) throw new UnprocessableEntityException({ code: 'idempotency-key-reused' });
        if (row.response_status === null) throw new ConflictException({ code: 'idempotent-request-in-progress' });
        // A replayed answer shows the data again: it is audited like the first one was.
        tx.audit({
          action: 'request.replay',
          decision: 'ALLOW',
          resourceType: 'IdempotencyKey',
          resourceId: typeof row.response_body?.id === 'string' ? row.response_body.id : undefined,
          subjectPersonId: typeof row.response_body?.clientId === 'string' ? row.response_body.clientId : undefined,
        });
        return row;
      }
      try {
        await tx.query(`INSERT INTO idempotency_key (user_id, key, request_hash) VALUES ($1, $2, $3)`, [ctx.userId, key, hash]);
      } catch (error) {
        if (isUniqueViolation(error, 'idempotency_key_pkey')) throw new ConflictException({ code: 'idempotent-request-in-progress' });
        throw error;
      }
      return undefined;
    });
    if (stored) {
      reply.status(stored.response_status).header('Idempotent-Replayed', 'true');
      return stored.response_body;
    }
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.transaction.run(ctx, (tx) =>
        tx.query(`UPDATE idempotency_key SET response_status = $3, response_body = $4 WHERE user_id = $1 AND key = $2`, [
          ctx.userId,
          key,
          reply.statusCode,
          JSON.stringify(body ?? null),
        ]),
      );
      return body;
    } catch (error) {
      // The work failed: free the key, so the client can retry the same request.
      await this.transaction
        .run(ctx, (tx) => tx.query(`DELETE FROM idempotency_key WHERE user_id = $1 AND key = $2`, [ctx.userId, key]))
        .catch(() => undefined);
      throw error;
    }
  }
}
