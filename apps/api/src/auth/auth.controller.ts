import { AuthService, Ctx, type SignedInUser } from '@app/auth';
import { Requires, Public } from '@app/access';
import { type RequestContext } from '@app/kernel';
import { Body, Controller, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBody, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiProblems } from '../http/openapi.js';
import { LoginDto, RefreshDto, TokenPairDto } from './dto/auth.dto.js';
import { LoginGuard } from './login.guard.js';
import { SESSION_COOKIE_CONFIG, clearRefreshCookie, type SessionCookieConfig } from './session-cookie.js';

@ApiTags('Authentication')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(SESSION_COOKIE_CONFIG) private readonly cookie: SessionCookieConfig,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @UseGuards(LoginGuard)
  @ApiOperation({ summary: 'Sign in with email and password' })
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiProblems(400, 401, 413, 429)
  login(@Req() request: { user: SignedInUser }): Promise<TokenPairDto> {
    return this.auth.signIn(request.user);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange a refresh token for a new token pair (the old refresh token is spent)' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiProblems(400, 401, 413)
  refresh(@Body() body: RefreshDto, @Req() request: FastifyRequest): Promise<TokenPairDto> {
    return this.auth.refresh(body.refreshToken, {
      clientAddress: request.ip ?? 'unknown',
      userAgent: request.headers['user-agent'],
      requestId: String(request.id),
    });
  }

  @Requires('session.end')
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out: this session’s access and refresh tokens stop working at once' })
  @ApiNoContentResponse()
  @ApiProblems(401)
  async logout(@Ctx() ctx: RequestContext): Promise<void> {
    await this.auth.signOut(ctx);
  }

  @Requires('session.end')
  @Post('sign-out-everywhere')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out everywhere: every session of the caller ends, on every device, and the web app’s refresh cookie is cleared' })
  @ApiNoContentResponse()
  @ApiProblems(401)
  async signOutEverywhere(@Ctx() ctx: RequestContext, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.auth.signOutEverywhere(ctx);
    // The cookie's path is /auth/session, but a response on any path may clear it.
    clearRefreshCookie(this.cookie, request, reply);
  }
}
