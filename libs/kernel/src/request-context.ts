import type { CertificationKind, Language, OrganisationKind, Role } from './identity.js';
import type { Purpose } from './sharing.js';

/**
 * What the caller may do, as computed by libs/access (CASL). The kernel names no authorisation
 * library: libs/access fills this interface in by module augmentation, so the kernel depends on
 * nothing and the context/ability import cycle is gone.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ContextAbility {}

export interface CertificationFact {
  kind: CertificationKind;
  /** `YYYY-MM-DD` */
  obtainedOn: string;
  expiresOn: string;
}

/**
 * Who is calling, on behalf of which organisation, and what they may do. Built once per request by the
 * authentication guard from fresh database state (never from token claims) and passed as the first
 * argument of every domain service call.
 */
export interface RequestContext {
  readonly requestId: string;
  readonly userId: string;
  readonly sessionId: string;
  readonly organisationId: string;
  readonly organisationKind: OrganisationKind;
  readonly roles: readonly Role[];
  readonly certifications?: readonly CertificationFact[];
  /** Why partner data is read in this request (the `X-Purpose` header); own files need none. */
  readonly purpose?: Purpose;
  /** The Belgian calendar day the request's rules are evaluated on (`YYYY-MM-DD`). */
  readonly today?: string;
  /** The moment the request's rules are evaluated at (ISO 8601 UTC), for time boxes. */
  readonly now?: string;
  readonly ability: ContextAbility;
  readonly clientAddress?: string;
  readonly userAgent?: string;
  /** The language the user chose in their profile (null: none), and their organisation's default. */
  readonly languages?: { readonly user: Language | null; readonly organisation: Language };
}

/** The parts of an identity that abilities are computed from. */
export type Identity = Pick<
  RequestContext,
  'userId' | 'organisationId' | 'organisationKind' | 'roles' | 'certifications' | 'purpose' | 'today' | 'now' | 'languages'
>;
