-- The counts of each organisation's inbox and outbox per status, kept as signed deltas
-- (migrations/1767000000000-referral-counts.ts). Current definitions, re-applied at every start.

-- A referral created, moved or removed: -1 for where it was, +1 for where it is, in its transaction.
CREATE OR REPLACE FUNCTION referral_count_follow()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.status = NEW.status AND OLD.from_organisation_id = NEW.from_organisation_id
           AND OLD.to_organisation_id = NEW.to_organisation_id THEN
          RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          INSERT INTO referral_count (organisation_id, box, status, n)
          VALUES (OLD.to_organisation_id, 'inbox', OLD.status, -1), (OLD.from_organisation_id, 'outbox', OLD.status, -1);
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
          INSERT INTO referral_count (organisation_id, box, status, n)
          VALUES (NEW.to_organisation_id, 'inbox', NEW.status, 1), (NEW.from_organisation_id, 'outbox', NEW.status, 1);
        END IF;
        RETURN NULL;
      END $function$;
REVOKE ALL ON FUNCTION referral_count_follow() FROM PUBLIC;

-- Folds the deltas of every key with more than one row into one row (none when they sum to zero).
-- Safe to run concurrently with writers and with itself: it takes only committed rows, and a row
-- another fold deleted first is not counted twice. Answers the rows folded.
CREATE OR REPLACE FUNCTION referral_count_compact()
 RETURNS bigint
 LANGUAGE sql
AS $function$
        WITH many AS (
          SELECT organisation_id, box, status FROM referral_count GROUP BY organisation_id, box, status HAVING count(*) > 1
        ), gone AS (
          DELETE FROM referral_count c USING many m
           WHERE c.organisation_id = m.organisation_id AND c.box = m.box AND c.status = m.status
          RETURNING c.organisation_id, c.box, c.status, c.n
        ), kept AS (
          INSERT INTO referral_count (organisation_id, box, status, n)
          SELECT organisation_id, box, status, sum(n) FROM gone GROUP BY organisation_id, box, status HAVING sum(n) <> 0
        )
        SELECT count(*) FROM gone
      $function$;
REVOKE ALL ON FUNCTION referral_count_compact() FROM PUBLIC;
