import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { RequestContext } from '@app/kernel';

/** The caller's RequestContext, as built by the global access guard. */
export const Ctx = createParamDecorator((_: unknown, execution: ExecutionContext): RequestContext => {
  const request = execution.switchToHttp().getRequest<{ user?: RequestContext }>();
  if (!request.user) throw new Error('Ctx used on a route without an authenticated caller');
  return request.user;
});
