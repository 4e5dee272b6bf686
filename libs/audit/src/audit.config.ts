import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

export interface AuditConfig {
  /** Ed25519 private key (PKCS#8 PEM) that signs checkpoints */
  signingKeyPem: string;
  /** where every checkpoint is appended as one JSON line, outside the database */
  checkpointFile: string;
  /** a chain with new events gets a checkpoint at least this often ... */
  checkpointMaxAgeSeconds: number;
  /** ... or after this many new events, whichever comes first */
  checkpointMaxEvents: number;
  /** how often the checkpointer (and the anomaly detector) looks */
  checkpointPollSeconds: number;
  /** how often the sequencer puts committed entries on their chains (0: only when flushed) */
  sequenceIntervalMs: number;
  /** entries per sequencing transaction */
  sequenceBatch: number;
  /** verification reports entries waiting longer than this as a fault (the sequencer not keeping up) */
  sequenceMaxLagSeconds: number;
  /** flag a user who reads more than this many distinct persons in a clock hour */
  flagPersonsPerHour: number;
  /** flag a user with at least this many denied attempts in a 10-minute slot */
  flagDenialsPerTenMinutes: number;
  /** working hours [from, to) in Europe/Brussels, Monday to Friday; client data read outside them is flagged */
  workingHours: [number, number];
}

export const AUDIT_CONFIG = Symbol('AUDIT_CONFIG');

export interface SigningKeys {
  privateKey: KeyObject;
  publicKeyPem: string;
  /** first 16 hex digits of the SHA-256 of the public key (SPKI DER) */
  keyId: string;
}

export function signingKeys(pem: string): SigningKeys {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('AUDIT_SIGNING_KEY must be an Ed25519 private key');
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return {
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: createHash('sha256').update(der).digest('hex').slice(0, 16),
  };
}
