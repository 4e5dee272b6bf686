import type { DataCategory, RequestContext, Tx } from '@app/kernel';
import { Injectable } from '@nestjs/common';

/** What may be uploaded, by sniffed content: the same list is a CHECK constraint (migration 1765500000000). */
export const DOCUMENT_MEDIA_TYPES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.oasis.opendocument.text',
] as const;
export type DocumentMediaType = (typeof DOCUMENT_MEDIA_TYPES)[number];
/** One file of at most 10 MB. */
export const DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;
/** Documents one organisation keeps on one person (a list answers them all, so it is bounded). */
export const DOCUMENTS_PER_FILE = 200;
/** The most documents one list answers: a person's files at ten organisations, full. */
export const DOCUMENTS_PER_LIST = DOCUMENTS_PER_FILE * 10;

export interface ClientDocument {
  id: string;
  clientId: string;
  /** whose file the document is on */
  organisationId: string;
  category: DataCategory;
  fileName: string;
  mediaType: DocumentMediaType;
  sizeBytes: number;
  /** hex SHA-256 of the content, so a recipient can check what it got */
  sha256: string;
  uploadedByUserId: string;
  createdAt: Date;
}

export interface NewDocument {
  category: DataCategory;
  fileName: string;
  mediaType: DocumentMediaType;
  content: Buffer;
}

/**
 * Documents on a client file. Every read names the sharing rule in its WHERE clause
 * (`casework_document_readable`, the same function row-level security asks), so a partner sees a
 * document only while it may read that category of the owner's file, and under a handover's ground only
 * the documents that handover offers.
 */
const READABLE = `casework_document_readable(d.organisation_id, d.person_id, d.category, d.id)`;
const COLUMNS = `d.id, d.person_id, d.organisation_id, d.category, d.file_name, d.media_type, d.size_bytes, encode(d.sha256, 'hex') AS sha256,
  d.uploaded_by_user_id, d.created_at`;

@Injectable()
export class DocumentRepository {
  async insert(tx: Tx, ctx: RequestContext, personId: string, input: NewDocument): Promise<ClientDocument> {
    const [row] = await tx.query(
      `INSERT INTO client_document AS d (organisation_id, person_id, category, file_name, media_type, size_bytes, sha256, content, uploaded_by_user_id)
       VALUES ($1, $2, $3, $4, $5, $6, sha256($7), $7, $8)
       RETURNING ${COLUMNS}`,
      [ctx.organisationId, personId, input.category, input.fileName, input.mediaType, input.content.length, input.content, ctx.userId],
    );
    return toDocument(row);
  }

  /** How many documents the caller's organisation keeps on the person (its own file's, locked for the insert). */
  async countOwn(tx: Tx, ctx: RequestContext, personId: string): Promise<number> {
    await tx.query(`SELECT 1 FROM client_file WHERE organisation_id = $1 AND person_id = $2 FOR UPDATE`, [ctx.organisationId, personId]);
    const [row] = await tx.query(`SELECT count(*)::int AS n FROM client_document WHERE organisation_id = $1 AND person_id = $2`, [
      ctx.organisationId,
      personId,
    ]);
    return row.n;
  }

  async listForPerson(tx: Tx, personId: string): Promise<ClientDocument[]> {
    const rows = await tx.query(
      `SELECT ${COLUMNS} FROM client_document d WHERE d.person_id = $1 AND ${READABLE} ORDER BY d.created_at, d.id LIMIT ${DOCUMENTS_PER_LIST}`,
      [personId],
    );
    return rows.map(toDocument);
  }

  async withContent(tx: Tx, id: string): Promise<(ClientDocument & { content: Buffer }) | undefined> {
    const [row] = await tx.query(`SELECT ${COLUMNS}, d.content FROM client_document d WHERE d.id = $1 AND ${READABLE}`, [id]);
    return row ? { ...toDocument(row), content: row.content } : undefined;
  }
}

function toDocument(r: any): ClientDocument {
  return {
    id: r.id,
    clientId: r.person_id,
    organisationId: r.organisation_id,
    category: r.category,
    fileName: r.file_name,
    mediaType: r.media_type,
    sizeBytes: r.size_bytes,
    sha256: r.sha256,
    uploadedByUserId: r.uploaded_by_user_id,
    createdAt: r.created_at,
  };
}
