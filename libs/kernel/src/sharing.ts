import type { OrganisationKind } from './identity.js';

/**
 * The vocabulary of consent-based sharing. Client data is shared by category and purpose only; the
 * same lists are CHECK constraints in the database (migration 1764100000000).
 */
export const DATA_CATEGORIES = [
  'IDENTITY', // name, INSZ, birth date
  'CONTACT', // address, phone, email, preferred language
  'EMPLOYMENT', // education, work history, competences, job target
  'TRAJECTORY', // filled by trajectories and handovers
  'OBSTACLES', // mobility, language level, childcare
  'WELFARE', // confidential: income situation (leefloon), welfare and health notes
] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

/** The property name each category has in request and response bodies (the web workspace reads it too). */
export const CATEGORY_KEY = {
  IDENTITY: 'identity',
  CONTACT: 'contact',
  EMPLOYMENT: 'employment',
  TRAJECTORY: 'trajectory',
  OBSTACLES: 'obstacles',
  WELFARE: 'welfare',
} as const satisfies Record<DataCategory, string>;

/** Purposes of use, after the cooperation agreement between VDAB and the local governments. */
export const PURPOSES = ['ACTIVATION', 'MEDIATION', 'TWE', 'ADVICE'] as const;
export type Purpose = (typeof PURPOSES)[number];

/** The request header that names why partner data is read (see the README, "Purpose of use"). */
export const PURPOSE_HEADER = 'X-Purpose';

/** Capacity of an organisation in a person's trajectory (after the social-security reference directory). */
export const CAPACITIES = ['OWNER', 'DIRECTOR', 'EXECUTOR', 'ADVISOR'] as const;
export type Capacity = (typeof CAPACITIES)[number];

export const LEGAL_BASES = ['CONSENT', 'PUBLIC_TASK_NOTICE'] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

export const CONSENT_METHODS = ['SIGNED_FORM', 'VERBAL', 'DIGITAL'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

/** Roles that work with client files. Privacy officers and admins never read case content. */
export const CASEWORK_ROLES = ['SOCIAL_WORKER', 'TRAJECTORY_GUIDE', 'MEDIATOR', 'TEAM_LEAD'] as const;

/**
 * The purpose an organisation keeps its own files for, recorded on the OWNER involvement when it
 * registers a client: VDAB mediates, the local partners activate.
 */
export function ownPurposeOf(kind: OrganisationKind): Purpose {
  return kind === 'VDAB' ? 'MEDIATION' : 'ACTIVATION';
}

/** The certification a user needs to read partner data for a purpose; TWE needs the extended training. */
export function certificationsAllowing(purpose: Purpose): Array<'PARTNER_PORTAL_BASIC' | 'PARTNER_PORTAL_EXTENDED'> {
  return purpose === 'TWE' ? ['PARTNER_PORTAL_EXTENDED'] : ['PARTNER_PORTAL_BASIC', 'PARTNER_PORTAL_EXTENDED'];
}

/** Today's date in Flanders (`YYYY-MM-DD`): validity dates of consents, agreements and involvements are Belgian calendar days. */
export function belgianToday(now: Date = new Date()): string {
  return BRUSSELS_DATE.format(now);
}
// Built once: constructing an Intl.DateTimeFormat costs ~0.3 ms, and every request asks for today.
const BRUSSELS_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Stand-in for an open end date, so date comparisons need no special case for "no end". */
export const OPEN_END = '9999-12-31';
