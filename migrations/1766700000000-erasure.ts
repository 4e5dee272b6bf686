import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Erasure that keeps the trail (issue 14): an organisation erases its own file on a person (a GDPR
 * request, or its retention period ended) and keeps a record of it (`client_erasure`: who, when, why,
 * what was removed, as counts); each organisation sets its retention per data category
 * (`retention_setting`). A consent or notice outlives the file it was given for (revoked at erasure): it
 * is the legal ground of the accesses the audit trail and the access report still list, so it now
 * refers to the person rather than the file. The INSZ of a person nobody keeps a file on any more is
 * cleared, so `person.insz` may be NULL.
 */
export class Erasure1766700000000 implements MigrationInterface {
  name = 'Erasure1766700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE client_erasure (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        reason text NOT NULL CHECK (reason IN ('GDPR_REQUEST', 'RETENTION')),
        note text CHECK (char_length(note) <= 2000),
        whole_file boolean NOT NULL,
        categories text[] NOT NULL CHECK (cardinality(categories) > 0
          AND categories <@ ARRAY['IDENTITY', 'CONTACT', 'EMPLOYMENT', 'TRAJECTORY', 'OBSTACLES', 'WELFARE']),
        removed jsonb NOT NULL,
        erased_by uuid REFERENCES app_user(id),
        erased_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX client_erasure_person_idx ON client_erasure (organisation_id, person_id, erased_at)`);
    await q.query(`ALTER TABLE client_erasure ENABLE ROW LEVEL SECURITY`);
    // written only by casework_erase_file (libs/domain/sql/60-erasure.sql); never changed
    await q.query(`GRANT SELECT ON client_erasure TO casework_app`);

    await q.query(`
      CREATE TABLE retention_setting (
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        category text NOT NULL CHECK (category IN ('IDENTITY', 'CONTACT', 'EMPLOYMENT', 'TRAJECTORY', 'OBSTACLES', 'WELFARE')),
        months integer NOT NULL CHECK (months BETWEEN 1 AND 600),
        updated_by uuid REFERENCES app_user(id),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organisation_id, category)
      )`);
    await q.query(`ALTER TABLE retention_setting ENABLE ROW LEVEL SECURITY`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON retention_setting TO casework_app`);

    await q.query(`ALTER TABLE consent DROP CONSTRAINT consent_organisation_id_person_id_fkey`);
    await q.query(`ALTER TABLE consent ADD CONSTRAINT consent_person_id_fkey FOREIGN KEY (person_id) REFERENCES person(id)`);
    await q.query(`ALTER TABLE person ALTER COLUMN insz DROP NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM person p WHERE p.insz IS NULL AND NOT EXISTS (SELECT 1 FROM consent c WHERE c.person_id = p.id)`);
    await q.query(`ALTER TABLE person ALTER COLUMN insz SET NOT NULL`);
    await q.query(`ALTER TABLE consent DROP CONSTRAINT consent_person_id_fkey`);
    await q.query(`
      ALTER TABLE consent ADD CONSTRAINT consent_organisation_id_person_id_fkey
        FOREIGN KEY (organisation_id, person_id) REFERENCES client_file(organisation_id, person_id) NOT VALID`);
    await q.query(`DROP TABLE retention_setting`);
    await q.query(`DROP TABLE client_erasure`);
  }
}
