import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { AUTH_CONFIG, type AuthConfig } from '../auth.config.js';
import type { RequestContext } from '../context/request-context.js';
import { RequestTransaction } from '../database/request-transaction.js';
import { IdentityRepository } from './identity.repository.js';
import { LoginThrottle } from './login-throttle.js';
import { PasswordHasher } from './password-hasher.js';
import { TokenService, type TokenPair } from './token.service.js';

export interface SignedInUser {
  userId: string;
  tokenVersion: number;
}

export class InvalidCredentials extends UnauthorizedException {
  constructor() {
    super({ code: 'invalid-credentials' });
  }
}
export class InvalidRefreshToken extends UnauthorizedException {
  constructor() {
    super({ code: 'invalid-refresh-token' });
  }
}

@Injectable()
export class AuthService {
  constructor(
    private readonly identities: IdentityRepository,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly tokens: TokenService,
    private readonly transaction: RequestTransaction,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {}

  /**
   * Checks email and password, counting failures for brute-force protection. Unknown email, wrong
   * password and a deactivated account all answer the same 401, in about the same time.
   */
  async verifyCredentials(email: string, password: string, clientAddress: string): Promise<SignedInUser> {
    await this.throttle.assertAllowed(email, clientAddress);
    const credentials = await this.transaction.runAnonymous((tx) => this.identities.findCredentials(tx, email));
    const passwordOk = await this.hasher.verify(credentials?.passwordHash, password);
    if (!credentials || !passwordOk || !credentials.canSignIn) {
      await this.throttle.recordFailure(email, clientAddress);
      throw new InvalidCredentials();
    }
    await this.throttle.recordSuccess(email);
    return { userId: credentials.userId, tokenVersion: credentials.tokenVersion };
  }

  async signIn(user: SignedInUser): Promise<TokenPair> {
    const refresh = this.tokens.newRefreshToken();
    const sessionId = await this.transaction.runAnonymous((tx) =>
      this.identities.createSession(tx, user.userId, this.config.sessionTtlSeconds, refresh.hash),
    );
    return this.tokens.issue(user.userId, sessionId, user.tokenVersion, refresh.token);
  }

  /** Rotates: the presented refresh token is spent and a new pair is issued for the same session. */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const next = this.tokens.newRefreshToken();
    const result = await this.transaction.runAnonymous(async (tx) => {
      const spent = await this.identities.spendRefreshToken(tx, TokenService.hashRefreshToken(refreshToken));
      if (spent.outcome === 'ok') await this.identities.addRefreshToken(tx, spent.sessionId, next.hash);
      return spent;
    });
    if (result.outcome !== 'ok') throw new InvalidRefreshToken();
    return this.tokens.issue(result.userId, result.sessionId, result.tokenVersion, next.token);
  }

  /** Ends the caller's session: its refresh tokens and its access tokens stop working at once. */
  async signOut(ctx: RequestContext): Promise<void> {
    await this.transaction.run(ctx, (tx) => this.identities.revokeSession(tx, ctx.sessionId, 'SIGNED_OUT'));
  }
}
