import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { sendProblem, toProblem } from './problem.js';

/** Every error the API returns is an RFC 9457 problem document; server faults are logged without client data. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: unknown }>();
    const response = http.getResponse<Response>();
    const problem = toProblem(exception);
    if (problem.status >= 500) {
      // Name, code and stack only: driver messages and details can quote column values.
      const e = exception as { name?: string; code?: string; stack?: string };
      this.logger.error({ requestId: request.id, errorName: e?.name, errorCode: e?.code }, e?.stack?.split('\n').slice(1, 6).join('\n'));
    }
    if (response.headersSent) return;
    sendProblem(request, response, problem);
  }
}
