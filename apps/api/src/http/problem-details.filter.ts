import { RequestTransaction, actorOf, type RequestContext } from '@app/kernel';
import { type RoutePolicy } from '@app/access';
import { NotFound } from '@app/kernel';
import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem, toProblem, type Problem } from './problem.js';

type AppRequest = FastifyRequest & { user?: RequestContext; policy?: RoutePolicy };

/**
 * Every error the API returns is an RFC 9457 problem document; server faults are logged without client
 * data. A denied attempt by a signed-in caller (403, or a client the caller may not see) is recorded in
 * the audit trail before the answer goes out: on the caller's chain, and on the chain of the
 * organisation whose data it was aimed at (recordDenial).
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  constructor(private readonly transaction: RequestTransaction) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<AppRequest>();
    const reply = http.getResponse<FastifyReply>();
    const problem = toProblem(exception);
    if (problem.status === 503) {
      this.logger.warn({ requestId: request.id, errorCode: (exception as { code?: string })?.code }, 'database unavailable; answered 503');
    } else if (problem.status >= 500) {
      // Name, code and stack only: driver messages and details can quote column values.
      const e = exception as { name?: string; code?: string; stack?: string };
      this.logger.error({ requestId: request.id, errorName: e?.name, errorCode: e?.code }, e?.stack?.split('\n').slice(1, 6).join('\n'));
    }
    if (reply.sent || reply.raw.headersSent) return;
    if (!isDenial(request, problem, exception)) {
      sendProblem(request, reply, problem);
      return;
    }
    this.recordDenial(request)
      .catch((error) => this.logger.error({ requestId: request.id, errorName: (error as Error)?.name }, 'could not audit a denied attempt'))
      .finally(() => {
        if (!reply.sent && !reply.raw.headersSent) sendProblem(request, reply, problem);
      });
  }

  /**
   * A denied attempt is recorded twice when it was aimed at another organisation's data:
   * - on the actor's chain, what its user asked for: the id it sent, and the person only when the
   *   caller named the person itself (`/clients/:id`, a `clientId` in the body) or the data is its own
   *   organisation's. It never names the person or owner found behind a trajectory, handover,
   *   involvement or consent id, so the actor's privacy officer learns nothing its user could not;
   * - on the owner's chain (`onOwnerChain`), one event per owning organisation, naming the person and
   *   the owner: the owner's privacy officer sees it in `/audit/events`, the person's access report and
   *   the denial-burst flag, and the owner's own verification covers it.
   * The person and owner are found with `audit_denial_targets` (libs/audit/sql/40-audit.sql), which
   * looks past row-level security and answers ids only; the caller gets the same answer either way.
   */
  private recordDenial(request: AppRequest): Promise<void> {
    const ctx = request.user!;
    const actor = actorOf(ctx);
    // The raw path parameter: lower-cased like UuidParam does, so the audit chain hashes the id as stored.
    const id = (request.params as Record<string, unknown> | undefined)?.id;
    const raw = typeof id === 'string' ? id : undefined;
    const resourceId = raw !== undefined && UUID.test(raw) ? raw.toLowerCase() : raw;
    const target = denialTarget(request, resourceId);
    const personNamed = target?.kind === 'person' ? target.id : undefined;
    return this.transaction.runAnonymous(async (tx) => {
      const found: Array<{ person_id: string; owner_organisation_id: string }> = target
        ? await tx.query(`SELECT person_id, owner_organisation_id FROM audit_denial_targets($1, $2)`, [target.kind, target.id])
        : [];
      const own = found.find((f) => f.owner_organisation_id === ctx.organisationId);
      const base = { action: 'access.denied', decision: 'DENY' as const, resourceType: request.policy?.subject ?? 'ClientFile', resourceId, categories: [] };
      tx.audit({ ...base, subjectPersonId: personNamed ?? own?.person_id });
      for (const { person_id, owner_organisation_id } of found) {
        if (owner_organisation_id === ctx.organisationId) continue;
        tx.audit({ ...base, subjectPersonId: person_id, ownerOrganisationId: owner_organisation_id, onOwnerChain: true });
      }
    }, actor);
  }
}

type TargetKind = 'person' | 'trajectory' | 'referral' | 'involvement' | 'consent' | 'document';

/** Routes keyed by the id of something that belongs to a person's file, by their path's first segment. */
const KEYED: Record<string, TargetKind> = {
  clients: 'person',
  trajectories: 'trajectory',
  handovers: 'referral',
  involvements: 'involvement',
  consents: 'consent',
  documents: 'document',
};

/**
 * What a refused request was aimed at: the `:id` of a route that belongs to a person's file, or the
 * `clientId` of a new trajectory or handover.
 */
function denialTarget(request: AppRequest, id: string | undefined): { kind: TargetKind; id: string } | undefined {
  const path = request.routeOptions?.url ?? '';
  const first = path.split('/')[1] ?? '';
  const kind = KEYED[first];
  if (kind && path.startsWith(`/${first}/:id`)) return id !== undefined && UUID.test(id) ? { kind, id } : undefined;
  const clientId = (request.body as { clientId?: unknown } | undefined)?.clientId;
  if (request.method === 'POST' && (path === '/trajectories' || path === '/handovers') && typeof clientId === 'string' && UUID.test(clientId)) {
    return { kind: 'person', id: clientId.toLowerCase() };
  }
  return undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Policy said no, or client data is not visible to the caller (which is how the sharing rule says no). */
function isDenial(request: AppRequest, problem: Problem, exception: unknown): boolean {
  if (!request.user) return false;
  return problem.status === 403 || (exception instanceof NotFound && exception.deniesClientData);
}
