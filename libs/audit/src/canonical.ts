import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** The 32 zero bytes every chain starts from. */
export const GENESIS_HASH = Buffer.alloc(32);
/** The chain of events that belong to no organisation (e.g. a failed sign-in with an unknown email). */
export const SYSTEM_CHAIN = '00000000-0000-0000-0000-000000000000';

/** One audit event as it is hashed: every column but the hashes, with the names used in canonical JSON. */
export interface CanonicalEvent {
  chain: string;
  seq: number;
  occurredAt: string;
  /** whose data the event concerns; present only when set (events from before it existed are hashed without it) */
  ownerOrganisationId?: string;
  actorUserId: string | null;
  actorOrganisationId: string | null;
  actorRoles: string[];
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  subjectPersonId: string | null;
  categories: string[];
  purpose: string | null;
  decision: 'ALLOW' | 'DENY';
  groundKind: string | null;
  groundInvolvementId: string | null;
  groundAgreementId: string | null;
  groundConsentId: string | null;
  groundBreakGlassId: string | null;
  /** the open handover a read was allowed under; present only when set (events from before it existed are hashed without it) */
  groundReferralId?: string;
  requestId: string | null;
  clientAddress: string | null;
  userAgent: string | null;
}

/** RFC 8785 (JSON Canonicalization Scheme) text of an event, by the reference implementation's library. */
export function canonicalText(event: CanonicalEvent): string {
  const text = canonicalize(event);
  if (text === undefined) throw new Error('audit event cannot be canonicalised');
  return text;
}

/** hash = SHA-256(prev_hash || canonical JSON of the event) */
export function chainHash(prevHash: Buffer, event: CanonicalEvent): Buffer {
  return createHash('sha256').update(prevHash).update(canonicalText(event), 'utf8').digest();
}

/** The exact bytes a checkpoint signature covers: RFC 8785 JSON of {chain, seq, headHash, time}. */
export function checkpointPayload(c: { chain: string; seq: number; headHash: string; time: string }): Buffer {
  return Buffer.from(canonicalize({ chain: c.chain, seq: c.seq, headHash: c.headHash, time: c.time })!, 'utf8');
}
