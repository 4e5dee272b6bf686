import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { AUTH_CONFIG, type AuthConfig } from '../auth.config.js';
import type { RequestContext } from '@app/kernel';
import { RequestTransaction } from '@app/kernel';
import { IdentityRepository } from './identity.repository.js';
import { LoginThrottle, TooManySignInAttempts, type SignInAttempt } from './login-throttle.js';
import { PasswordHasher } from './password-hasher.js';
import { TokenService, type TokenPair } from './token.service.js';

export interface SignedInUser {
  userId: string;
  organisationId: string;
  tokenVersion: number;
  /** where the sign-in came from, for its audit event */
  origin: SignInOrigin;
}

export interface SignInOrigin {
  clientAddress: string;
  userAgent?: string;
  requestId?: string;
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
  async verifyCredentials(email: string, password: string, origin: SignInOrigin): Promise<SignedInUser> {
    let attempt: SignInAttempt;
    try {
      attempt = await this.throttle.admit(email, origin.clientAddress);
    } catch (error) {
      if (error instanceof TooManySignInAttempts) {
        await this.transaction.record(origin, [{ action: 'auth.sign-in-blocked', decision: 'DENY', resourceType: 'Session' }]);
      }
      throw error;
    }
    const credentials = await this.transaction.runAnonymous((tx) => this.identities.findCredentials(tx, email));
    const passwordOk = await this.hasher.verify(credentials?.passwordHash, password);
    if (!credentials || !passwordOk || !credentials.canSignIn) {
      await this.throttle.recordFailure(attempt);
      // Attributed to the account when the email exists (its organisation's chain); never the email itself.
      const actor = credentials ? { ...origin, userId: credentials.userId, organisationId: credentials.organisationId } : origin;
      await this.transaction.record(actor, [{ action: 'auth.sign-in-failed', decision: 'DENY', resourceType: 'Session' }]);
      throw new InvalidCredentials();
    }
    await this.throttle.recordSuccess(attempt);
    return { userId: credentials.userId, organisationId: credentials.organisationId, tokenVersion: credentials.tokenVersion, origin };
  }

  /**
   * `replacing`: the refresh token this browser still held (the web app's cookie). A sign-in replaces
   * that cookie, so the session it belonged to could never be used from here again; it is ended now
   * rather than left open until it expires (on a shared computer it is the previous user's).
   */
  async signIn(user: SignedInUser, replacing?: string): Promise<TokenPair> {
    const refresh = this.tokens.newRefreshToken();
    const sessionId = await this.transaction.runAnonymous(
      async (tx) => {
        const previous = replacing ? await this.identities.findRefreshTokenOwner(tx, TokenService.hashRefreshToken(replacing)) : undefined;
        if (previous) {
          await this.identities.revokeSession(tx, previous.sessionId, 'REPLACED_BY_SIGN_IN');
          tx.audit({ action: 'auth.session-replaced', decision: 'ALLOW', resourceType: 'Session', resourceId: previous.sessionId });
        }
        const id = await this.identities.createSession(tx, user.userId, this.config.sessionTtlSeconds, refresh.hash);
        tx.audit({ action: 'auth.sign-in', decision: 'ALLOW', resourceType: 'Session', resourceId: id });
        return id;
      },
      { ...user.origin, userId: user.userId, organisationId: user.organisationId },
    );
    return this.tokens.issue(user.userId, sessionId, user.tokenVersion, refresh.token);
  }

  /**
   * Rotates: the presented refresh token is spent and a new pair is issued for the same session. The
   * rotation, and a replayed token (which ends the session), are audited against the session's user.
   * A token that was never issued is a plain 401 with nobody to attribute it to.
   */
  async refresh(refreshToken: string, origin: SignInOrigin): Promise<TokenPair> {
    const hash = TokenService.hashRefreshToken(refreshToken);
    const owner = await this.transaction.runAnonymous((tx) => this.identities.findRefreshTokenOwner(tx, hash));
    if (!owner) throw new InvalidRefreshToken();
    const next = this.tokens.newRefreshToken();
    const session = { resourceType: 'Session', resourceId: owner.sessionId } as const;
    const result = await this.transaction.runAnonymous(
      async (tx) => {
        const spent = await this.identities.spendRefreshToken(tx, hash);
        if (spent.outcome === 'ok') {
          await this.identities.addRefreshToken(tx, spent.sessionId, next.hash);
          tx.audit({ ...session, action: 'auth.refresh', decision: 'ALLOW' });
        } else if (spent.outcome === 'reused') {
          tx.audit({ ...session, action: 'auth.refresh-token-replay', decision: 'DENY' });
        }
        return spent;
      },
      { ...origin, userId: owner.userId, organisationId: owner.organisationId },
    );
    if (result.outcome !== 'ok') throw new InvalidRefreshToken();
    return this.tokens.issue(result.userId, result.sessionId, result.tokenVersion, next.token);
  }

  /** Ends the caller's session: its refresh tokens and its access tokens stop working at once. */
  async signOut(ctx: RequestContext): Promise<void> {
    await this.transaction.run(ctx, async (tx) => {
      await this.identities.revokeSession(tx, ctx.sessionId, 'SIGNED_OUT');
      tx.audit({ action: 'auth.sign-out', decision: 'ALLOW', resourceType: 'Session', resourceId: ctx.sessionId });
    });
  }

  /**
   * Ends every session of the caller (other browsers and devices too), as one audit event naming the
   * number of sessions ended. The token version stays: revoking the sessions already stops every token,
   * and the version belongs to the account row (changed by password changes and deactivation).
   */
  async signOutEverywhere(ctx: RequestContext): Promise<void> {
    await this.transaction.run(ctx, async (tx) => {
      const ended = await this.identities.revokeSessionsOf(tx, ctx.userId, 'SIGNED_OUT_EVERYWHERE');
      tx.audit({
        action: 'auth.sign-out-everywhere',
        decision: 'ALLOW',
        resourceType: 'Session',
        resourceId: ctx.sessionId,
        categories: [`SESSIONS:${ended.length}`],
      });
    });
  }
}
