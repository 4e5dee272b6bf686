import { RequestTransaction, actorOf, type RequestContext } from '@app/kernel';
import { type RoutePolicy } from '@app/access';
import { NotFound } from '@app/kernel';
import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { sendProblem, toProblem, type Problem } from './problem.js';

type AppRequest = Request & { id?: unknown; user?: RequestContext; policy?: RoutePolicy };

/**
 * Every error the API returns is an RFC 9457 problem document; server faults are logged without client
 * data. A denied attempt by a signed-in caller (403, or a client the caller may not see) is recorded in
 * the audit trail before the answer goes out.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  constructor(private readonly transaction: RequestTransaction) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<AppRequest>();
    const response = http.getResponse<Response>();
    const problem = toProblem(exception);
    if (problem.status === 503) {
      this.logger.warn({ requestId: request.id, errorCode: (exception as { code?: string })?.code }, 'database unavailable; answered 503');
    } else if (problem.status >= 500) {
      // Name, code and stack only: driver messages and details can quote column values.
      const e = exception as { name?: string; code?: string; stack?: string };
      this.logger.error({ requestId: request.id, errorName: e?.name, errorCode: e?.code }, e?.stack?.split('\n').slice(1, 6).join('\n'));
    }
    if (response.headersSent) return;
    if (!isDenial(request, problem, exception)) {
      sendProblem(request, response, problem);
      return;
    }
    this.recordDenial(request, problem)
      .catch((error) => this.logger.error({ requestId: request.id, errorName: (error as Error)?.name }, 'could not audit a denied attempt'))
      .finally(() => {
        if (!response.headersSent) sendProblem(request, response, problem);
      });
  }

  private recordDenial(request: AppRequest, problem: Problem): Promise<void> {
    const ctx = request.user!;
    // The raw path parameter: lower-cased like UuidParam does, so the audit chain hashes the id as stored.
    const raw = typeof request.params?.id === 'string' ? request.params.id : undefined;
    const id = raw !== undefined && UUID.test(raw) ? raw.toLowerCase() : raw;
    const aboutClient = (request.route?.path as string | undefined)?.startsWith('/clients/:id') ?? false;
    return this.transaction.record(actorOf(ctx), [
      {
        action: 'access.denied',
        decision: 'DENY',
        resourceType: request.policy?.subject ?? 'ClientFile',
        resourceId: id,
        subjectPersonId: aboutClient && id && UUID.test(id) ? id : undefined,
        categories: [],
      },
    ]);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Policy said no, or client data is not visible to the caller (which is how the sharing rule says no). */
function isDenial(request: AppRequest, problem: Problem, exception: unknown): boolean {
  if (!request.user) return false;
  return problem.status === 403 || (exception instanceof NotFound && exception.deniesClientData);
}
