import type { Language, OrganisationKind } from '@app/kernel';

/** A partner organisation (tenant) as its own staff and platform admins see it. */
export interface Organisation {
  id: string;
  name: string;
  kind: OrganisationKind;
  /** KBO enterprise number, formatted `0123.456.789` */
  kboNumber: string;
  /** NIS municipality code (5 digits), for local governments and OCMWs */
  nisCode: string | null;
  parentId: string | null;
  active: boolean;
  /** The language its staff are answered in unless they or their browser say otherwise (Dutch in Flanders). */
  defaultLanguage: Language;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What every signed-in user sees of another organisation: the partner directory. */
export type OrganisationDirectoryEntry = Pick<Organisation, 'id' | 'name' | 'kind'>;

export interface NewOrganisation {
  name: string;
  kind: OrganisationKind;
  kboNumber: string;
  nisCode?: string | null;
  parentId?: string | null;
  defaultLanguage?: Language;
}

export interface OrganisationChanges {
  name?: string;
  kboNumber?: string;
  nisCode?: string | null;
  parentId?: string | null;
  active?: boolean;
  defaultLanguage?: Language;
}
