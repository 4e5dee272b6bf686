import type { DataCategory } from '@app/kernel';

/** Why an organisation erased (part of) its file: the client's request (GDPR Art. 17), or its retention period ended. */
export const ERASURE_REASONS = ['GDPR_REQUEST', 'RETENTION'] as const;
export type ErasureReason = (typeof ERASURE_REASONS)[number];

/** What an erasure removed, as counts: the record says how much went, never what it said. */
export interface ErasureCounts {
  identity: number;
  sections: number;
  documents: number;
  notes: number;
  trajectories: number;
  referrals: number;
  /** consents and notices kept as the ground of earlier accesses, revoked by the erasure */
  consentsRevoked: number;
  /** involvements the organisation recorded, kept and ended by the erasure */
  involvementsEnded: number;
  /** partners' notes on a trajectory that went: kept by their authors, no longer tied to it */
  partnerNotesDetached: number;
}

/** The record an organisation keeps of an erasure of its data on a person (libs/domain/sql/60-erasure.sql). */
export interface ClientErasure {
  id: string;
  personId: string;
  organisationId: string;
  reason: ErasureReason;
  note: string | null;
  /** the whole file (a GDPR request, or IDENTITY's retention), or only older data of some categories (retention) */
  wholeFile: boolean;
  categories: DataCategory[];
  removed: ErasureCounts;
  /** null when the daily retention job erased it */
  erasedByUserId: string | null;
  erasedAt: Date;
}

/** What keeps a file from being erased as a whole: work partners still do with the organisation. */
export interface ErasureBlocker {
  kind: 'trajectory' | 'referral';
  id: string;
  status: string;
}

/** An organisation's retention period per data category, in months; a category left out is kept until erased by hand. */
export type RetentionPeriods = Partial<Record<DataCategory, number>>;

export interface RetentionSetting {
  organisationId: string;
  months: RetentionPeriods;
  updatedAt: Date | null;
}

/** Bounds of a retention period: a month to fifty years. */
export const RETENTION_MIN_MONTHS = 1;
export const RETENTION_MAX_MONTHS = 600;
/** The most erasure records one list answers. */
export const ERASURES_PER_LIST = 100;
/** What casework_erase_file raises when the organisation keeps no file on the person (SQLSTATE no_data_found). */
export const NO_FILE = 'P0002';
/** SQLSTATE casework_erase_file raises when the file has open trajectories or referrals (object_in_use). */
export const OPEN_WORK = '55006';
