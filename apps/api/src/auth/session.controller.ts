import { AuthService, Ctx, InvalidRefreshToken, type SignedInUser } from '@app/auth';
import { Public, Requires } from '@app/access';
import { type RequestContext } from '@app/kernel';
import { Controller, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiProblems } from '../http/openapi.js';
import { AccessTokenDto, LoginDto } from './dto/auth.dto.js';
import { LoginGuard } from './login.guard.js';
import {
  REFRESH_COOKIE,
  SESSION_COOKIE_CONFIG,
  WEB_CLIENT_HEADER,
  WEB_CLIENT_VALUE,
  WebClientGuard,
  clearRefreshCookie,
  setRefreshCookie,
  type SessionCookieConfig,
} from './session-cookie.js';

/** As RefreshDto allows for the body of /auth/refresh. */
const MAX_REFRESH_TOKEN_LENGTH = 200;

const WebClientHeader = () =>
  ApiHeader({
    name: WEB_CLIENT_HEADER,
    required: true,
    description: 'CSRF guard: without it the answer is 403',
    schema: { type: 'string', enum: [WEB_CLIENT_VALUE] },
  });

/**
 * The browser's sign-in: the same sign-in, rotation and sign-out as /auth/login, /auth/refresh and
 * /auth/logout (AuthService), with the refresh token in an HttpOnly cookie instead of the body, so the
 * web app's scripts never hold it.
 */
@ApiTags('Authentication')
@Controller('auth/session')
export class SessionController {
  constructor(
    private readonly auth: AuthService,
    @Inject(SESSION_COOKIE_CONFIG) private readonly cookie: SessionCookieConfig,
  ) {}

  @Public()
  @Post()
  @HttpCode(200)
  @UseGuards(WebClientGuard, LoginGuard)
  @ApiOperation({
    summary: 'Sign in from the web app: the refresh token is set as an HttpOnly cookie, not returned; the session of a cookie the browser still held is ended',
  })
  @WebClientHeader()
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({
    type: AccessTokenDto,
    headers: { 'Set-Cookie': { description: `${REFRESH_COOKIE}: HttpOnly, SameSite=Strict, Path=/auth/session`, schema: { type: 'string', maxLength: 512 } } },
  })
  @ApiProblems(400, 401, 403, 413, 429)
  async signIn(@Req() request: FastifyRequest & { user: SignedInUser }, @Res({ passthrough: true }) reply: FastifyReply): Promise<AccessTokenDto> {
    const held = request.cookies[REFRESH_COOKIE];
    const { accessToken, refreshToken, expiresIn } = await this.auth.signIn(request.user, held && held.length <= MAX_REFRESH_TOKEN_LENGTH ? held : undefined);
    setRefreshCookie(this.cookie, request, reply, refreshToken);
    return { accessToken, expiresIn };
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @UseGuards(WebClientGuard)
  @ApiOperation({ summary: 'Exchange the refresh cookie for a new access token and a new cookie (the old one is spent)' })
  @ApiCookieAuth('refresh-cookie')
  @WebClientHeader()
  @ApiOkResponse({ type: AccessTokenDto })
  @ApiProblems(401, 403, 413)
  async refresh(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<AccessTokenDto> {
    const presented = request.cookies[REFRESH_COOKIE];
    try {
      if (!presented || presented.length > MAX_REFRESH_TOKEN_LENGTH) throw new InvalidRefreshToken();
      const { accessToken, refreshToken, expiresIn } = await this.auth.refresh(presented, {
        clientAddress: request.ip ?? 'unknown',
        userAgent: request.headers['user-agent'],
        requestId: String(request.id),
      });
      setRefreshCookie(this.cookie, request, reply, refreshToken);
      return { accessToken, expiresIn };
    } catch (error) {
      // A cookie that no longer works is of no use to the browser (the web app shows its sign-in); after
      // any other failure (the database away: 503) it may still work on the next try, so it stays.
      if (error instanceof InvalidRefreshToken) clearRefreshCookie(this.cookie, request, reply);
      throw error;
    }
  }

  @Requires('session.end')
  @Post('sign-out')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out of the web app: this session ends and the refresh cookie is cleared' })
  @ApiNoContentResponse()
  @ApiProblems(401)
  async signOut(@Ctx() ctx: RequestContext, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.auth.signOut(ctx);
    clearRefreshCookie(this.cookie, request, reply);
  }
}
