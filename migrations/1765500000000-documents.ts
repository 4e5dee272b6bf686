import type { MigrationInterface, QueryRunner } from 'typeorm';

const CATEGORIES = `'IDENTITY', 'CONTACT', 'EMPLOYMENT', 'TRAJECTORY', 'OBSTACLES', 'WELFARE'`;
/** What may be uploaded, by content (sniffed, never by file name): PDF, PNG, JPEG, DOCX, ODT. */
const MEDIA_TYPES = `'application/pdf', 'image/png', 'image/jpeg',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.oasis.opendocument.text'`;

/**
 * Documents on a client file (issue 13: the GPMI, a CV, a screening report a handover carries). Client
 * data like any section: owned by the organisation whose file it is on, with a category that the sharing
 * rule judges, and gone with the file (ON DELETE CASCADE: erasing a person's files erases them). The
 * content is kept in PostgreSQL, so the database stays the one source of truth and one backup holds it.
 * Its policies are in libs/access/sql/90-policies.sql.
 */
export class Documents1765500000000 implements MigrationInterface {
  name = 'Documents1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE client_document (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL,
        person_id uuid NOT NULL,
        category text NOT NULL CHECK (category IN (${CATEGORIES})),
        file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
        media_type text NOT NULL CHECK (media_type IN (${MEDIA_TYPES})),
        size_bytes integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 10485760),
        sha256 bytea NOT NULL CHECK (length(sha256) = 32),
        content bytea NOT NULL CHECK (length(content) = size_bytes),
        uploaded_by_user_id uuid NOT NULL REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (organisation_id, person_id) REFERENCES client_file (organisation_id, person_id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX client_document_person_idx ON client_document (person_id, organisation_id, created_at)`);
    // Large contents are stored out of line already (TOAST); compressing PDFs and images gains nothing.
    await q.query(`ALTER TABLE client_document ALTER COLUMN content SET STORAGE EXTERNAL`);
    await q.query(`ALTER TABLE client_document ENABLE ROW LEVEL SECURITY`);
    await q.query(`GRANT SELECT, INSERT ON client_document TO casework_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE client_document`);
  }
}
