export { type AuthConfig } from './auth.config.js';
export { AuthModule } from './auth.module.js';
export { AuthService, InvalidCredentials, InvalidRefreshToken, type SignedInUser } from './authentication/auth.service.js';
export { PasswordHasher } from './authentication/password-hasher.js';
export { Ctx } from './context/ctx.decorator.js';
export { RateLimits, setRateLimitHeaders } from './throttling/rate-limits.js';
