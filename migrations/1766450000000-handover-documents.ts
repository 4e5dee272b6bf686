import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A handover offers documents (issue 13: the GPMI, a CV, a screening report travel with a warm
 * handover). The link names documents on the sender's own file, each of a category the handover offers,
 * so the receiver reads them under the same rule as the offered sections. Erasing a document (or the
 * file it is on) takes the link with it. Its policies are in libs/access/sql/90-policies.sql.
 */
export class HandoverDocuments1766450000000 implements MigrationInterface {
  name = 'HandoverDocuments1766450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE referral_document (
        referral_id uuid NOT NULL REFERENCES referral(id),
        document_id uuid NOT NULL REFERENCES client_document(id) ON DELETE CASCADE,
        PRIMARY KEY (referral_id, document_id)
      )`);
    await q.query(`CREATE INDEX referral_document_document_idx ON referral_document (document_id)`);
    await q.query(`ALTER TABLE referral_document ENABLE ROW LEVEL SECURITY`);
    await q.query(`GRANT SELECT, INSERT ON referral_document TO casework_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE referral_document`);
  }
}
