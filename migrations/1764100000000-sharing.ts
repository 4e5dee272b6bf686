import type { MigrationInterface, QueryRunner } from 'typeorm';

const CATEGORIES = `'IDENTITY','CONTACT','EMPLOYMENT','TRAJECTORY','OBSTACLES','WELFARE'`;
const PURPOSES = `'ACTIVATION','MEDIATION','TWE','ADVICE'`;
const CASEWORK_ROLES = `'SOCIAL_WORKER','TRAJECTORY_GUIDE','MEDIATOR','TEAM_LEAD'`;

/**
 * Consent-based sharing: persons, each organisation's own client file (by data category), the
 * involvement register, agreements between organisations and consents/notices, plus THE access rule
 * (`casework_access_grounds`) and row-level security on every table that holds client data.
 *
 * Request work runs as `casework_app` with `app.organisation_id`, `app.user_id` and `app.purpose`
 * set transaction-locally. The rule functions are SECURITY DEFINER so they can consult consents and
 * involvements the caller may not list, and return only a yes/no (or the ids of the ground).
 */
export class Sharing1764100000000 implements MigrationInterface {
  name = 'Sharing1764100000000';

  async up(q: QueryRunner): Promise<void> {
    // Context of the current request, read the one safe way (unset and empty both mean "none").
    await q.query(`
      CREATE FUNCTION app_current_organisation() RETURNS uuid LANGUAGE sql STABLE
        AS $$ SELECT nullif(current_setting('app.organisation_id', true), '')::uuid $$`);
    await q.query(`
      CREATE FUNCTION app_current_user() RETURNS uuid LANGUAGE sql STABLE
        AS $$ SELECT nullif(current_setting('app.user_id', true), '')::uuid $$`);
    await q.query(`
      CREATE FUNCTION app_current_purpose() RETURNS text LANGUAGE sql STABLE
        AS $$ SELECT nullif(current_setting('app.purpose', true), '') $$`);
    // Validity dates are Belgian calendar days, whatever the server's time zone.
    await q.query(`
      CREATE FUNCTION app_today() RETURNS date LANGUAGE sql STABLE
        AS $$ SELECT (now() AT TIME ZONE 'Europe/Brussels')::date $$`);
    // Case- and accent-insensitive form of a name for prefix search (immutable, so it can be stored).
    await q.query(`
      CREATE FUNCTION casework_fold(value text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT lower(translate(value, 'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿ',
                                              'AAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyy')) $$`);

    await q.query(`
      CREATE TABLE person (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        insz char(11) NOT NULL CONSTRAINT person_insz_key UNIQUE CHECK (insz ~ '^[0-9]{11}$' AND (
          97 - (substr(insz, 1, 9)::bigint % 97) = substr(insz, 10, 2)::int OR
          97 - (('2' || substr(insz, 1, 9))::bigint % 97) = substr(insz, 10, 2)::int)),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE client_file (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        person_id uuid NOT NULL REFERENCES person(id),
        created_by uuid REFERENCES app_user(id),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT client_file_organisation_person_key UNIQUE (organisation_id, person_id)
      )`);
    await q.query(`CREATE INDEX client_file_person_idx ON client_file (person_id, organisation_id)`);

    // IDENTITY, typed because it is searched; the other categories are validated documents.
    await q.query(`
      CREATE TABLE client_identity (
        organisation_id uuid NOT NULL,
        person_id uuid NOT NULL,
        insz char(11) NOT NULL,
        first_name text NOT NULL CHECK (char_length(btrim(first_name)) BETWEEN 1 AND 100),
        last_name text NOT NULL CHECK (char_length(btrim(last_name)) BETWEEN 1 AND 100),
        birth_date date NOT NULL,
        search_name text COLLATE "C" GENERATED ALWAYS AS (casework_fold(last_name || ' ' || first_name)) STORED,
        PRIMARY KEY (organisation_id, person_id),
        FOREIGN KEY (organisation_id, person_id) REFERENCES client_file (organisation_id, person_id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX client_identity_search_idx ON client_identity (organisation_id, search_name, person_id)`);
    await q.query(`CREATE INDEX client_identity_insz_idx ON client_identity (insz)`);
    await q.query(`CREATE INDEX client_identity_person_idx ON client_identity (person_id)`);

    await q.query(`
      CREATE TABLE client_section (
        organisation_id uuid NOT NULL,
        person_id uuid NOT NULL,
        category text NOT NULL CHECK (category IN (${CATEGORIES}) AND category <> 'IDENTITY'),
        content jsonb NOT NULL CHECK (jsonb_typeof(content) = 'object'),
        updated_by uuid REFERENCES app_user(id),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organisation_id, person_id, category),
        FOREIGN KEY (organisation_id, person_id) REFERENCES client_file (organisation_id, person_id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX client_section_person_idx ON client_section (person_id)`);

    await q.query(`
      CREATE TABLE involvement (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        person_id uuid NOT NULL REFERENCES person(id),
        capacity text NOT NULL CHECK (capacity IN ('OWNER','DIRECTOR','EXECUTOR','ADVISOR')),
        purpose text NOT NULL CHECK (purpose IN (${PURPOSES})),
        valid_from date NOT NULL,
        valid_until date CHECK (valid_until >= valid_from),
        source text NOT NULL CHECK (source IN ('REGISTRATION','MANUAL','HANDOVER','TRAJECTORY')),
        recorded_by_organisation_id uuid NOT NULL REFERENCES organisation(id),
        recorded_by uuid REFERENCES app_user(id),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        ended_by uuid REFERENCES app_user(id),
        end_reason text CHECK (char_length(end_reason) <= 500),
        CHECK ((capacity = 'OWNER') = (source = 'REGISTRATION'))
      )`);
    // The list query walks this index in person order for the caller's organisation and purpose.
    await q.query(`CREATE INDEX involvement_active_idx ON involvement (organisation_id, purpose, person_id) WHERE ended_at IS NULL`);
    await q.query(`CREATE INDEX involvement_person_idx ON involvement (person_id)`);
    await q.query(`
      CREATE UNIQUE INDEX involvement_active_key ON involvement (organisation_id, person_id, capacity, purpose) WHERE ended_at IS NULL`);

    await q.query(`
      CREATE TABLE agreement (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        purposes text[] NOT NULL CHECK (cardinality(purposes) > 0 AND purposes <@ ARRAY[${PURPOSES}]),
        valid_from date NOT NULL,
        valid_until date NOT NULL CHECK (valid_until >= valid_from),
        document_reference text NOT NULL CHECK (char_length(btrim(document_reference)) BETWEEN 1 AND 500),
        response_working_days integer NOT NULL DEFAULT 10 CHECK (response_working_days BETWEEN 1 AND 60),
        created_by uuid REFERENCES app_user(id),
        created_by_organisation_id uuid REFERENCES organisation(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        activated_at timestamptz,
        terminated_at timestamptz,
        terminated_by uuid REFERENCES app_user(id),
        terminated_by_organisation_id uuid REFERENCES organisation(id),
        termination_reason text CHECK (char_length(termination_reason) <= 1000),
        version integer NOT NULL DEFAULT 1,
        CHECK ((terminated_at IS NULL) = (termination_reason IS NULL))
      )`);
    await q.query(`
      CREATE TABLE agreement_party (
        agreement_id uuid NOT NULL REFERENCES agreement(id),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        confirmed_at timestamptz,
        confirmed_by uuid REFERENCES app_user(id),
        PRIMARY KEY (agreement_id, organisation_id)
      )`);
    await q.query(`CREATE INDEX agreement_party_organisation_idx ON agreement_party (organisation_id)`);
    await q.query(`
      CREATE TABLE agreement_flow (
        agreement_id uuid NOT NULL,
        from_organisation_id uuid NOT NULL,
        to_organisation_id uuid NOT NULL,
        categories text[] NOT NULL CHECK (cardinality(categories) > 0 AND categories <@ ARRAY[${CATEGORIES}]),
        PRIMARY KEY (agreement_id, from_organisation_id, to_organisation_id),
        CHECK (from_organisation_id <> to_organisation_id),
        FOREIGN KEY (agreement_id, from_organisation_id) REFERENCES agreement_party (agreement_id, organisation_id),
        FOREIGN KEY (agreement_id, to_organisation_id) REFERENCES agreement_party (agreement_id, organisation_id)
      )`);
    await q.query(`CREATE INDEX agreement_flow_direction_idx ON agreement_flow (from_organisation_id, to_organisation_id)`);

    await q.query(`
      CREATE TABLE consent (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL,
        person_id uuid NOT NULL,
        recipient_organisation_ids uuid[] NOT NULL CHECK (cardinality(recipient_organisation_ids) > 0),
        purposes text[] NOT NULL CHECK (cardinality(purposes) > 0 AND purposes <@ ARRAY[${PURPOSES}]),
        categories text[] NOT NULL CHECK (cardinality(categories) > 0 AND categories <@ ARRAY[${CATEGORIES}]),
        legal_basis text NOT NULL CHECK (legal_basis IN ('CONSENT','PUBLIC_TASK_NOTICE')),
        method text NOT NULL CHECK (method IN ('SIGNED_FORM','VERBAL','DIGITAL')),
        valid_from date NOT NULL,
        valid_until date CHECK (valid_until >= valid_from),
        evidence_reference text CHECK (char_length(evidence_reference) <= 500),
        recorded_by uuid NOT NULL REFERENCES app_user(id),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        revoked_by uuid REFERENCES app_user(id),
        revocation_reason text CHECK (char_length(revocation_reason) BETWEEN 1 AND 1000),
        -- Welfare and health details are shared only with the client's explicit consent.
        CONSTRAINT consent_welfare_needs_consent CHECK (legal_basis = 'CONSENT' OR NOT ('WELFARE' = ANY (categories))),
        CHECK ((revoked_at IS NULL) = (revocation_reason IS NULL)),
        FOREIGN KEY (organisation_id, person_id) REFERENCES client_file (organisation_id, person_id)
      )`);
    await q.query(`CREATE INDEX consent_person_idx ON consent (person_id, organisation_id)`);
    // Recorded consents are immutable: a change is a new record; only a one-time revocation is allowed.
    await q.query(`
      CREATE FUNCTION consent_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'consents are never deleted; revoke them' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL
           OR (to_jsonb(NEW) - ARRAY['revoked_at','revoked_by','revocation_reason'])
              IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['revoked_at','revoked_by','revocation_reason']) THEN
          RAISE EXCEPTION 'a recorded consent cannot be changed, only revoked once' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER consent_immutable BEFORE UPDATE OR DELETE ON consent FOR EACH ROW EXECUTE FUNCTION consent_immutable()`);

    // Break-the-glass: emergency access of one user to categories of another organisation's file on a
    // person, for a time box, with a justification; only where an active agreement links the two.
    await q.query(`
      CREATE TABLE break_glass (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        owner_organisation_id uuid NOT NULL REFERENCES organisation(id),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        user_id uuid NOT NULL REFERENCES app_user(id),
        categories text[] NOT NULL CHECK (cardinality(categories) > 0 AND categories <@ ARRAY[${CATEGORIES}]),
        justification text NOT NULL CHECK (char_length(btrim(justification)) BETWEEN 20 AND 2000),
        granted_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        CHECK (expires_at > granted_at AND expires_at <= granted_at + interval '4 hours'),
        CHECK (owner_organisation_id <> organisation_id)
      )`);
    await q.query(`CREATE INDEX break_glass_person_idx ON break_glass (person_id, organisation_id, expires_at)`);
    // Whether an active agreement (any purpose, any flow) has both organisations as parties.
    await q.query(`
      CREATE FUNCTION casework_agreement_links(p_a uuid, p_b uuid) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = pg_catalog, public AS $$
        SELECT EXISTS (SELECT 1 FROM agreement a
                         JOIN agreement_party pa ON pa.agreement_id = a.id AND pa.organisation_id = p_a
                         JOIN agreement_party pb ON pb.agreement_id = a.id AND pb.organisation_id = p_b
                        WHERE a.activated_at IS NOT NULL AND a.terminated_at IS NULL
                          AND a.valid_from <= app_today() AND app_today() <= a.valid_until)
      $$`);

    // ---- The access rule, once, in SQL ----------------------------------------------------------
    await q.query(`
      CREATE FUNCTION casework_is_caseworker() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = pg_catalog, public AS $$
        SELECT EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = app_current_user() AND r.role IN (${CASEWORK_ROLES}))
      $$`);
    /*
     * THE RULE. Per category of p_owner's file on p_person that the current user of the current
     * organisation may read for the current purpose, when it is another organisation's file: the ids
     * of the involvement, agreement and consent that together allow it, or of the break-the-glass
     * grant (one ground per category; no row: nothing is shared). One join, so a caller asking about
     * any category pays for one lookup.
     */
    await q.query(`
      CREATE FUNCTION casework_access_grounds(p_owner uuid, p_person uuid)
        RETURNS TABLE (category text, involvement_id uuid, agreement_id uuid, consent_id uuid, break_glass_id uuid)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public ROWS 6 AS $$
        SELECT DISTINCT ON (g.category) g.category, g.involvement_id, g.agreement_id, g.consent_id, g.break_glass_id FROM (
        SELECT k.category, i.id AS involvement_id, a.id AS agreement_id, c.id AS consent_id, NULL::uuid AS break_glass_id
          FROM involvement i
          JOIN agreement_flow f ON f.from_organisation_id = p_owner AND f.to_organisation_id = i.organisation_id
          JOIN agreement a ON a.id = f.agreement_id AND a.activated_at IS NOT NULL AND a.terminated_at IS NULL
                          AND a.valid_from <= app_today() AND app_today() <= a.valid_until AND i.purpose = ANY (a.purposes)
          JOIN consent c ON c.person_id = p_person AND c.organisation_id = p_owner AND c.revoked_at IS NULL
                        AND i.organisation_id = ANY (c.recipient_organisation_ids) AND i.purpose = ANY (c.purposes)
                        AND c.valid_from <= app_today() AND (c.valid_until IS NULL OR app_today() <= c.valid_until)
          CROSS JOIN LATERAL unnest(f.categories) AS k(category)
         WHERE k.category = ANY (c.categories) AND (k.category <> 'WELFARE' OR c.legal_basis = 'CONSENT')
           AND i.organisation_id = app_current_organisation() AND i.organisation_id <> p_owner
           AND i.person_id = p_person AND i.purpose = app_current_purpose() AND i.ended_at IS NULL
           AND i.valid_from <= app_today() AND (i.valid_until IS NULL OR app_today() <= i.valid_until)
           AND casework_is_caseworker()
           AND EXISTS (SELECT 1 FROM user_certification uc
                        WHERE uc.user_id = app_current_user() AND uc.obtained_on <= app_today() AND app_today() <= uc.expires_on
                          AND (uc.kind = 'PARTNER_PORTAL_EXTENDED' OR (uc.kind = 'PARTNER_PORTAL_BASIC' AND i.purpose <> 'TWE')))
        UNION ALL
        -- break-the-glass: the requesting user only, within its time box, while an agreement links the two
        SELECT k.category, NULL, NULL, NULL, b.id
          FROM break_glass b CROSS JOIN LATERAL unnest(b.categories) AS k(category)
         WHERE b.person_id = p_person AND b.owner_organisation_id = p_owner
           AND b.organisation_id = app_current_organisation() AND b.user_id = app_current_user()
           AND b.granted_at <= now() AND now() < b.expires_at
           AND casework_is_caseworker() AND casework_agreement_links(p_owner, b.organisation_id)
        ) g
         -- the regular ground first: break-the-glass counts only where nothing else allows the access
         ORDER BY g.category, g.break_glass_id IS NOT NULL, g.involvement_id, g.agreement_id, g.consent_id, g.break_glass_id
      $$`);
    // Whether the caller's organisation keeps a file on the person (its own record; no role needed).
    await q.query(`
      CREATE FUNCTION casework_owns_file(p_person uuid) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = pg_catalog, public AS $$
        SELECT EXISTS (SELECT 1 FROM client_file f WHERE f.person_id = p_person AND f.organisation_id = app_current_organisation())
      $$`);
    // The forms the queries and policies use. Costs are set high so the planner runs them last, on
    // as few rows as possible (each is an indexed join, about 0.1 ms).
    await q.query(`
      CREATE FUNCTION casework_can_read(p_owner uuid, p_person uuid, p_category text) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public COST 5000 AS $$
        SELECT CASE WHEN p_owner = app_current_organisation() THEN casework_is_caseworker()
                    ELSE EXISTS (SELECT 1 FROM casework_access_grounds(p_owner, p_person) g WHERE g.category = p_category) END
      $$`);
    await q.query(`
      CREATE FUNCTION casework_readable_categories(p_owner uuid, p_person uuid) RETURNS text[]
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public COST 5000 AS $$
        SELECT CASE WHEN p_owner = app_current_organisation()
                    THEN CASE WHEN casework_is_caseworker() THEN ARRAY[${CATEGORIES}] ELSE '{}' END
                    ELSE (SELECT coalesce(array_agg(g.category ORDER BY array_position(ARRAY[${CATEGORIES}], g.category)), '{}')
                            FROM casework_access_grounds(p_owner, p_person) g) END
      $$`);
    await q.query(`
      CREATE FUNCTION casework_can_read_any(p_owner uuid, p_person uuid) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public COST 5000 AS $$
        SELECT CASE WHEN p_owner = app_current_organisation() THEN casework_is_caseworker()
                    ELSE EXISTS (SELECT 1 FROM casework_access_grounds(p_owner, p_person)) END
      $$`);
    // Whether another organisation's file on the person opens anything to the caller (the list's partner branch).
    await q.query(`
      CREATE FUNCTION casework_partner_file_visible(p_person uuid) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public COST 10000 AS $$
        SELECT EXISTS (SELECT 1 FROM client_file f
                        WHERE f.person_id = p_person AND f.organisation_id <> app_current_organisation()
                          AND EXISTS (SELECT 1 FROM casework_access_grounds(f.organisation_id, p_person)))
      $$`);

    /*
     * The list's partner branch: persons, in id order after p_after, whose files at other
     * organisations open something to the caller, walking the caller's own active involvements for
     * the request's purpose. A PL/pgSQL loop on purpose: its cursor is planned for fast start, so a
     * page costs the candidates it looks at, not the whole caseload (row-level security on
     * involvement and client_identity applies: it runs as the caller). Bitmap scans are off inside it
     * because the planner cannot see that the involvement policy repeats the query's own filter, so it
     * underestimates the caseload ~1000-fold and would sort all of it (12 ms at 13,000 involvements)
     * instead of walking the index in order. With p_insz or p_name only
     * persons whose partner identity matches, and may be read, are returned.
     */
    await q.query(`
      CREATE FUNCTION casework_partner_persons(p_after uuid, p_limit int, p_insz text, p_name text) RETURNS SETOF uuid
        LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public SET enable_bitmapscan = off AS $$
      DECLARE
        candidate uuid;
        found int := 0;
        visible boolean;
        prefix text := casework_fold(p_name);
      BEGIN
        IF app_current_purpose() IS NULL OR p_limit < 1 THEN RETURN; END IF;
        IF p_insz IS NOT NULL THEN
          -- An INSZ names at most a few files: start from them, not from the caseload.
          RETURN QUERY
            SELECT DISTINCT ci.person_id FROM client_identity ci
             WHERE ci.insz = p_insz::char(11) AND ci.organisation_id <> app_current_organisation() AND ci.person_id > p_after
               AND EXISTS (SELECT 1 FROM involvement i
                            WHERE i.person_id = ci.person_id AND i.organisation_id = app_current_organisation()
                              AND i.purpose = app_current_purpose() AND i.ended_at IS NULL AND i.capacity <> 'OWNER')
               AND casework_can_read(ci.organisation_id, ci.person_id, 'IDENTITY')
             ORDER BY 1 LIMIT p_limit;
          RETURN;
        END IF;
        FOR candidate IN
          SELECT DISTINCT i.person_id FROM involvement i
           WHERE i.organisation_id = app_current_organisation() AND i.purpose = app_current_purpose()
             AND i.ended_at IS NULL AND i.capacity <> 'OWNER' AND i.person_id > p_after
           ORDER BY i.person_id
        LOOP
          IF p_name IS NULL THEN
            visible := casework_partner_file_visible(candidate);
          ELSE
            visible := EXISTS (SELECT 1 FROM client_identity ci
                                WHERE ci.person_id = candidate AND ci.organisation_id <> app_current_organisation()
                                  AND ci.search_name >= prefix AND ci.search_name < prefix || chr(1114111)
                                  AND casework_can_read(ci.organisation_id, ci.person_id, 'IDENTITY'));
          END IF;
          IF visible THEN
            RETURN NEXT candidate;
            found := found + 1;
            EXIT WHEN found >= p_limit;
          END IF;
        END LOOP;
      END $$`);

    // The organisations whose file on the person a break-the-glass request may open: those an active
    // agreement links with the caller's organisation (and only those: others stay unseen).
    await q.query(`
      CREATE FUNCTION casework_break_glass_owners(p_person uuid) RETURNS SETOF uuid
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        SELECT f.organisation_id FROM client_file f
         WHERE f.person_id = p_person AND f.organisation_id <> app_current_organisation()
           AND casework_agreement_links(f.organisation_id, app_current_organisation())
         ORDER BY f.organisation_id
      $$`);

    /*
     * The one way to learn a person's id from an INSZ: registers the person if new and answers the
     * same id either way, so registering a person another organisation knows reveals nothing.
     */
    await q.query(`
      CREATE FUNCTION casework_register_person(p_insz text) RETURNS uuid
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
      DECLARE found uuid;
      BEGIN
        IF NOT casework_is_caseworker() OR app_current_organisation() IS NULL THEN
          RAISE EXCEPTION 'only case workers register clients' USING ERRCODE = 'insufficient_privilege';
        END IF;
        INSERT INTO person (insz) VALUES (p_insz) ON CONFLICT (insz) DO NOTHING RETURNING id INTO found;
        IF found IS NULL THEN SELECT id INTO found FROM person WHERE insz = p_insz; END IF;
        RETURN found;
      END $$`);

    /*
     * Consents of a person that name the current organisation as recipient, recorded by the given
     * owners: the facts the per-record (CASL) check needs, without evidence or free text.
     */
    await q.query(`
      CREATE FUNCTION casework_consents_naming_me(p_person uuid, p_owners uuid[])
        RETURNS TABLE (id uuid, organisation_id uuid, recipient_organisation_ids uuid[], purposes text[], categories text[],
                       legal_basis text, valid_from date, valid_until date, revoked boolean)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
        SELECT c.id, c.organisation_id, c.recipient_organisation_ids, c.purposes, c.categories, c.legal_basis, c.valid_from, c.valid_until, c.revoked_at IS NOT NULL
          FROM consent c
         WHERE c.person_id = p_person AND c.organisation_id = ANY (p_owners)
           AND app_current_organisation() = ANY (c.recipient_organisation_ids)
      $$`);

    for (const fn of [
      'casework_is_caseworker()',
      'casework_owns_file(uuid)',
      'casework_agreement_links(uuid, uuid)',
      'casework_break_glass_owners(uuid)',
      'casework_access_grounds(uuid, uuid)',
      'casework_partner_file_visible(uuid)',
      'casework_partner_persons(uuid, integer, text, text)',
      'casework_can_read(uuid, uuid, text)',
      'casework_readable_categories(uuid, uuid)',
      'casework_can_read_any(uuid, uuid)',
      'casework_register_person(text)',
      'casework_consents_naming_me(uuid, uuid[])',
    ]) {
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO casework_app`);
    }

    // ---- Row-level security: the database enforces the rule even where a query forgets it ------
    const own = `organisation_id = app_current_organisation()`;
    const ownCasework = `${own} AND casework_is_caseworker()`;
    await q.query(`ALTER TABLE person ENABLE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY person_own_clients ON person FOR SELECT TO casework_app USING (casework_owns_file(id))`);

    await q.query(`ALTER TABLE client_file ENABLE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY client_file_read ON client_file FOR SELECT TO casework_app USING (casework_can_read_any(organisation_id, person_id))`);
    await q.query(`CREATE POLICY client_file_insert ON client_file FOR INSERT TO casework_app WITH CHECK (${ownCasework})`);
    await q.query(`CREATE POLICY client_file_update ON client_file FOR UPDATE TO casework_app USING (${ownCasework}) WITH CHECK (${ownCasework})`);

    await q.query(`ALTER TABLE client_identity ENABLE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY client_identity_read ON client_identity FOR SELECT TO casework_app
        USING (casework_can_read(organisation_id, person_id, 'IDENTITY'))`);
    await q.query(`CREATE POLICY client_identity_insert ON client_identity FOR INSERT TO casework_app WITH CHECK (${ownCasework})`);
    await q.query(`CREATE POLICY client_identity_update ON client_identity FOR UPDATE TO casework_app USING (${ownCasework}) WITH CHECK (${ownCasework})`);

    await q.query(`ALTER TABLE client_section ENABLE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY client_section_read ON client_section FOR SELECT TO casework_app
        USING (casework_can_read(organisation_id, person_id, category))`);
    await q.query(`CREATE POLICY client_section_insert ON client_section FOR INSERT TO casework_app WITH CHECK (${ownCasework})`);
    await q.query(`CREATE POLICY client_section_update ON client_section FOR UPDATE TO casework_app USING (${ownCasework}) WITH CHECK (${ownCasework})`);
    await q.query(`CREATE POLICY client_section_delete ON client_section FOR DELETE TO casework_app USING (${ownCasework})`);

    // Involvements: seen by the organisation involved and by the organisation that recorded it.
    const involved = `(organisation_id = app_current_organisation() OR recorded_by_organisation_id = app_current_organisation())`;
    await q.query(`ALTER TABLE involvement ENABLE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY involvement_read ON involvement FOR SELECT TO casework_app USING ${involved}`);
    await q.query(`
      CREATE POLICY involvement_insert ON involvement FOR INSERT TO casework_app
        WITH CHECK (recorded_by_organisation_id = app_current_organisation())`);
    await q.query(`CREATE POLICY involvement_update ON involvement FOR UPDATE TO casework_app USING ${involved} WITH CHECK ${involved}`);

    // Consents: only the organisation that recorded them (recipients learn yes/no through the rule).
    await q.query(`ALTER TABLE consent ENABLE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY consent_read ON consent FOR SELECT TO casework_app USING (${own})`);
    await q.query(`CREATE POLICY consent_insert ON consent FOR INSERT TO casework_app WITH CHECK (${ownCasework})`);
    await q.query(`CREATE POLICY consent_revoke ON consent FOR UPDATE TO casework_app USING (${ownCasework}) WITH CHECK (${ownCasework})`);

    // Break-the-glass grants: seen by the requesting organisation and by the organisation whose file it opens.
    await q.query(`ALTER TABLE break_glass ENABLE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY break_glass_read ON break_glass FOR SELECT TO casework_app
        USING (organisation_id = app_current_organisation() OR owner_organisation_id = app_current_organisation())`);
    await q.query(`
      CREATE POLICY break_glass_insert ON break_glass FOR INSERT TO casework_app
        WITH CHECK (organisation_id = app_current_organisation() AND user_id = app_current_user() AND casework_is_caseworker())`);
    await q.query(`GRANT SELECT, INSERT ON break_glass TO casework_app`);
    await q.query(`GRANT SELECT ON person TO casework_app`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON client_file, client_identity TO casework_app`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON client_section TO casework_app`);
    await q.query(`GRANT SELECT, INSERT ON involvement, consent TO casework_app`);
    await q.query(`GRANT UPDATE (ended_at, ended_by, end_reason) ON involvement TO casework_app`);
    await q.query(`GRANT UPDATE (revoked_at, revoked_by, revocation_reason) ON consent TO casework_app`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON agreement, agreement_party TO casework_app`);
    await q.query(`GRANT SELECT, INSERT ON agreement_flow TO casework_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE break_glass, consent, agreement_flow, agreement_party, agreement, involvement, client_section, client_identity, client_file, person`);
    await q.query(`DROP FUNCTION casework_consents_naming_me(uuid, uuid[]), casework_register_person(text), casework_can_read_any(uuid, uuid),
                   casework_readable_categories(uuid, uuid), casework_can_read(uuid, uuid, text), casework_partner_persons(uuid, integer, text, text), casework_partner_file_visible(uuid), casework_access_grounds(uuid, uuid),
                   casework_owns_file(uuid), casework_break_glass_owners(uuid), casework_agreement_links(uuid, uuid), casework_is_caseworker(), consent_immutable(), casework_fold(text), app_today(), app_current_purpose(),
                   app_current_user(), app_current_organisation()`);
  }
}
