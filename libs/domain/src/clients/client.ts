import { CATEGORY_KEY, type DataCategory, type Purpose } from '@app/kernel';

export { CATEGORY_KEY };

/** Categories kept as free-form, validated documents next to the typed IDENTITY. */
export const SECTION_CATEGORIES = ['CONTACT', 'EMPLOYMENT', 'TRAJECTORY', 'OBSTACLES', 'WELFARE'] as const satisfies readonly DataCategory[];
export type SectionCategory = (typeof SECTION_CATEGORIES)[number];

export type CategoryKey = (typeof CATEGORY_KEY)[DataCategory];

export interface ClientIdentity {
  /** 11 digits */
  insz: string;
  firstName: string;
  lastName: string;
  /** `YYYY-MM-DD` */
  birthDate: string;
}

/** A category's document, validated at the edge (the API's DTOs). */
export type SectionContent = object;

/** Registering a client: identity plus any of the optional categories the caller's organisation keeps. */
export interface NewClient extends ClientIdentity {
  contact?: SectionContent;
  employment?: SectionContent;
  obstacles?: SectionContent;
  welfare?: SectionContent;
}

/** Changing one's own file: identity fields except the INSZ; a category object replaces it, null removes it. */
export interface ClientChanges {
  firstName?: string;
  lastName?: string;
  birthDate?: string;
  contact?: SectionContent | null;
  employment?: SectionContent | null;
  obstacles?: SectionContent | null;
  welfare?: SectionContent | null;
}

export type FileSections = Partial<Record<CategoryKey, SectionContent>>;

export interface OwnFile extends FileSections {
  organisationId: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What another organisation's file shows the caller: the permitted categories, and the names of the rest. */
export interface SharedFile extends FileSections {
  organisationId: string;
  withheld: DataCategory[];
}

export interface ClientView {
  /** The person's id: the same for every organisation that registered this person. */
  id: string;
  purpose: Purpose | null;
  ownFile: OwnFile | null;
  shared: SharedFile[];
}

export interface ClientListItem {
  id: string;
  ownFile: boolean;
  /** From the caller's own file, or else from a partner file whose IDENTITY the caller may read. */
  name: { firstName: string; lastName: string; birthDate: string; sourceOrganisationId: string } | null;
}

export interface ClientPage {
  items: ClientListItem[];
  nextCursor: string | null;
}

export interface ClientQuery {
  search?: string;
  cursor?: string;
  limit: number;
}
