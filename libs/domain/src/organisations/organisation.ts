import type { OrganisationKind } from '@app/kernel';

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
}

export interface OrganisationChanges {
  name?: string;
  kboNumber?: string;
  nisCode?: string | null;
  parentId?: string | null;
  active?: boolean;
}
