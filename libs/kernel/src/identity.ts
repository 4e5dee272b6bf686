/** Kinds of partner organisation (tenant) in a Flemish job-shop, plus the platform operator. */
export const ORGANISATION_KINDS = ['VDAB', 'OCMW', 'MUNICIPALITY', 'RVA', 'PWA', 'ATB', 'SOCIAL_ECONOMY_DIRECTOR', 'PLATFORM'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** Roles a user holds inside their own organisation. PLATFORM_ADMIN exists only in the PLATFORM organisation. */
export const ROLES = [
  'SOCIAL_WORKER', // maatschappelijk assistent
  'TRAJECTORY_GUIDE', // arbeidstrajectbegeleider
  'MEDIATOR', // bemiddelaar
  'TEAM_LEAD',
  'PRIVACY_OFFICER',
  'ORG_ADMIN',
  'PLATFORM_ADMIN',
  'ANALYST', // reads the cooperation's figures (indicators), never client data
] as const;
export type Role = (typeof ROLES)[number];

/** Partner-portal trainings ("Mijn Loopbaan voor Partners"); the extended one is needed to register TWE. */
export const CERTIFICATION_KINDS = ['PARTNER_PORTAL_BASIC', 'PARTNER_PORTAL_EXTENDED'] as const;
export type CertificationKind = (typeof CERTIFICATION_KINDS)[number];

/** The languages the service speaks (Belgium's Dutch and French, and English), the first the default. */
export const LANGUAGES = ['nl', 'fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
