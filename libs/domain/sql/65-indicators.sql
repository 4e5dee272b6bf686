-- Indicators of the cooperation: the maintained aggregates behind GET /indicators
-- (migrations/1767500000000-indicators.ts). Current definitions, re-applied at every start.
-- Only counts of records and of distinct persons, medians and 90th percentiles leave these functions;
-- the small-cell rule is applied per reader in libs/domain/src/indicators/suppression.ts.

-- A referral leaves SENT/INFO_REQUESTED/ACKNOWLEDGED for good: the moment it was answered, withdrawn,
-- lifted or expired. Set once, whichever code path moves the status.
CREATE OR REPLACE FUNCTION referral_settle()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public'
AS $function$
      BEGIN
        IF NEW.settled_at IS NULL AND NEW.status IN ('ACCEPTED', 'DECLINED', 'WITHDRAWN', 'EXPIRED', 'COMPLETED') THEN
          NEW.settled_at := now();
        END IF;
        RETURN NEW;
      END $function$;

-- A record the figures count was created, changed or removed: the months it is counted in (before and
-- after the change) are marked for the refresh, in the transaction of the change. A month already marked
-- costs one index probe and no lock.
CREATE OR REPLACE FUNCTION indicator_mark()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
      DECLARE
        v_columns text[] := CASE TG_TABLE_NAME
          WHEN 'referral' THEN ARRAY['sent_at']
          WHEN 'trajectory' THEN ARRAY['started_at', 'closed_at']
          WHEN 'trajectory_history' THEN ARRAY['at']
          WHEN 'trajectory_obstacle' THEN ARRAY['created_at']
          WHEN 'trajectory_checkpoint' THEN ARRAY['due_on']
          WHEN 'consent' THEN ARRAY['recorded_at', 'revoked_at']
        END;
        v_rows jsonb[] := ARRAY[]::jsonb[];
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN v_rows := v_rows || to_jsonb(OLD); END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN v_rows := v_rows || to_jsonb(NEW); END IF;
        INSERT INTO indicator_dirty (month)
        SELECT DISTINCT date_trunc('month', ((r ->> c)::timestamptz) AT TIME ZONE 'Europe/Brussels')::date
          FROM unnest(v_rows) r, unnest(v_columns) c
         WHERE r ->> c IS NOT NULL
        ON CONFLICT (month) DO NOTHING;
        RETURN NULL;
      END $function$;
REVOKE ALL ON FUNCTION indicator_mark() FROM PUBLIC;

-- The region an organisation belongs to: the one it is listed in, or else its municipality's.
CREATE OR REPLACE FUNCTION indicator_region_of(p_organisation uuid)
 RETURNS uuid
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        SELECT COALESCE(
          (SELECT ro.region_id FROM region_organisation ro WHERE ro.organisation_id = p_organisation),
          (SELECT rm.region_id FROM organisation o JOIN region_municipality rm ON rm.nis_code = o.nis_code WHERE o.id = p_organisation))
      $function$;
REVOKE ALL ON FUNCTION indicator_region_of(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION indicator_region_of(uuid) TO casework_app;

-- The cells of one period (month, quarter or year starting on p_start), computed from the records. Each
-- fact is one record counted under one measure (and part); it is attributed to one organisation, which
-- gives its municipality (NIS code) and region. Dates are Belgian calendar dates.
--   handovers.sent / handovers.received   warm handovers sent in the period, by the sender / the receiver;
--                                         part: outcome now (ACCEPTED, DECLINED, WITHDRAWN, EXPIRED, PENDING)
--   handovers.<side>.declined             the declined ones by reason code
--   handovers.<side>.answer               accepted or declined: IN_TIME (by the agreement's due date) or LATE
--   handovers.<side>.answerDays           days from sending to the answer (median, p90)
--   signals                               NOT_YET_READY signals sent: OPEN, LIFTED, LAPSED (review date passed)
--   signals.liftedDays                    days from sending to lifting
--   trajectories.started                  started in the period, by current status
--   trajectories.closed                   closed in the period, by status.outcome
--   trajectories.open                     open at some time in the period
--   trajectories.startDays                days from the (first) accepted handover to the start
--   trajectories.typeSwitches             type changes in the period, by the new type
--   obstacles / obstacles.addressed       recorded in the period by kind; of those, addressed now
--   inWork.6|12|18|24                     checkpoints due in the period (up to today): WORKING,
--                                         NOT_WORKING, NOT_RECORDED
--   consents.given / consents.revoked     consents and notices recorded / revoked in the period
-- A measure with parts also has its total (part '').
CREATE OR REPLACE FUNCTION indicator_compute(p_period text, p_start date)
 RETURNS TABLE(scope text, scope_key text, trajectory_type text, measure text, part text, n bigint, persons bigint, median numeric, p90 numeric)
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        WITH bounds AS (
          SELECT p_start::timestamp AT TIME ZONE 'Europe/Brussels' AS t0,
                 (p_start + CASE p_period WHEN 'month' THEN interval '1 month' WHEN 'quarter' THEN interval '3 months' ELSE interval '1 year' END)::timestamp
                   AT TIME ZONE 'Europe/Brussels' AS t1,
                 (now() AT TIME ZONE 'Europe/Brussels')::date AS today
        ), handover AS (
          SELECT r.*, CASE WHEN r.status IN ('ACCEPTED', 'COMPLETED') THEN 'ACCEPTED' WHEN r.status IN ('DECLINED', 'WITHDRAWN', 'EXPIRED') THEN r.status ELSE 'PENDING' END AS outcome
            FROM referral r, bounds b WHERE r.kind = 'WARM_HANDOVER' AND r.sent_at >= b.t0 AND r.sent_at < b.t1
        ), sided AS (
          SELECT h.*, s.side, CASE s.side WHEN 'sent' THEN h.from_organisation_id ELSE h.to_organisation_id END AS org
            FROM handover h, (VALUES ('sent'), ('received')) s(side)
        ), trajectory_started AS (
          SELECT t.* FROM trajectory t, bounds b WHERE t.started_at >= b.t0 AND t.started_at < b.t1
        ), obstacle AS (
          SELECT o.*, t.type, t.person_id FROM trajectory_obstacle o JOIN trajectory t ON t.id = o.trajectory_id, bounds b
           WHERE o.created_at >= b.t0 AND o.created_at < b.t1
        ), fact(org, ttype, measure, part, person, days) AS (
          SELECT org, NULL::text, 'handovers.' || side, p.part, person_id, NULL::numeric
            FROM sided, LATERAL (VALUES (outcome), ('')) p(part)
          UNION ALL
          SELECT org, NULL, 'handovers.' || side || '.declined', p.part, person_id, NULL
            FROM sided, LATERAL (VALUES (COALESCE(decline_reason_code, 'OTHER')), ('')) p(part) WHERE outcome = 'DECLINED'
          UNION ALL
          SELECT org, NULL, 'handovers.' || side || '.answer', p.part, person_id, NULL
            FROM sided, LATERAL (VALUES (CASE WHEN (settled_at AT TIME ZONE 'Europe/Brussels')::date <= due_date THEN 'IN_TIME' ELSE 'LATE' END), ('')) p(part)
           WHERE outcome IN ('ACCEPTED', 'DECLINED') AND settled_at IS NOT NULL
          UNION ALL
          SELECT org, NULL, 'handovers.' || side || '.answerDays', '', person_id, extract(epoch FROM settled_at - sent_at) / 86400
            FROM sided WHERE outcome IN ('ACCEPTED', 'DECLINED') AND settled_at IS NOT NULL
          UNION ALL
          SELECT r.from_organisation_id, NULL, 'signals', p.part, r.person_id, NULL
            FROM referral r, bounds b,
                 LATERAL (VALUES (CASE WHEN r.status = 'WITHDRAWN' THEN 'LIFTED' WHEN r.review_date < b.today THEN 'LAPSED' ELSE 'OPEN' END), ('')) p(part)
           WHERE r.kind = 'NOT_YET_READY' AND r.sent_at >= b.t0 AND r.sent_at < b.t1
          UNION ALL
          SELECT r.from_organisation_id, NULL, 'signals.liftedDays', '', r.person_id, extract(epoch FROM r.settled_at - r.sent_at) / 86400
            FROM referral r, bounds b
           WHERE r.kind = 'NOT_YET_READY' AND r.status = 'WITHDRAWN' AND r.settled_at IS NOT NULL AND r.sent_at >= b.t0 AND r.sent_at < b.t1
          UNION ALL
          SELECT t.director_organisation_id, t.type, 'trajectories.started', p.part, t.person_id, NULL
            FROM trajectory_started t, LATERAL (VALUES (t.status), ('')) p(part)
          UNION ALL
          SELECT t.director_organisation_id, t.type, 'trajectories.closed', p.part, t.person_id, NULL
            FROM trajectory t, bounds b, LATERAL (VALUES (t.status || '.' || t.outcome), ('')) p(part)
           WHERE t.closed_at >= b.t0 AND t.closed_at < b.t1
          UNION ALL
          SELECT t.director_organisation_id, t.type, 'trajectories.open', '', t.person_id, NULL
            FROM trajectory t, bounds b WHERE t.started_at < b.t1 AND (t.closed_at IS NULL OR t.closed_at >= b.t0)
          UNION ALL
          SELECT t.director_organisation_id, t.type, 'trajectories.startDays', '', t.person_id, extract(epoch FROM t.started_at - h.sent_at) / 86400
            FROM trajectory_started t
            JOIN LATERAL (SELECT min(r.sent_at) AS sent_at FROM referral r
                           WHERE r.trajectory_id = t.id AND r.kind = 'WARM_HANDOVER' AND r.status IN ('ACCEPTED', 'COMPLETED')) h ON h.sent_at IS NOT NULL
          UNION ALL
          SELECT t.director_organisation_id, h.to_value, 'trajectories.typeSwitches', '', t.person_id, NULL
            FROM trajectory_history h JOIN trajectory t ON t.id = h.trajectory_id, bounds b
           WHERE h.kind = 'TYPE' AND h.at >= b.t0 AND h.at < b.t1
          UNION ALL
          SELECT o.organisation_id, o.type, 'obstacles', p.part, o.person_id, NULL FROM obstacle o, LATERAL (VALUES (o.kind), ('')) p(part)
          UNION ALL
          SELECT o.organisation_id, o.type, 'obstacles.addressed', p.part, o.person_id, NULL
            FROM obstacle o, LATERAL (VALUES (o.kind), ('')) p(part) WHERE o.status = 'ADDRESSED'
          UNION ALL
          SELECT t.director_organisation_id, t.type, 'inWork.' || c.months, p.part, t.person_id, NULL
            FROM trajectory_checkpoint c JOIN trajectory t ON t.id = c.trajectory_id, bounds b,
                 LATERAL (VALUES (CASE WHEN c.working IS NULL THEN 'NOT_RECORDED' WHEN c.working THEN 'WORKING' ELSE 'NOT_WORKING' END), ('')) p(part)
           WHERE c.due_on >= p_start AND c.due_on < (b.t1 AT TIME ZONE 'Europe/Brussels')::date AND c.due_on <= b.today
          UNION ALL
          SELECT c.organisation_id, NULL, 'consents.given', '', c.person_id, NULL
            FROM consent c, bounds b WHERE c.recorded_at >= b.t0 AND c.recorded_at < b.t1
          UNION ALL
          SELECT c.organisation_id, NULL, 'consents.revoked', '', c.person_id, NULL
            FROM consent c, bounds b WHERE c.revoked_at >= b.t0 AND c.revoked_at < b.t1
        ), place AS (
          -- each organisation's municipality and region (the region it is listed in, else its municipality's)
          SELECT o.id, o.nis_code::text AS nis_code, COALESCE(ro.region_id, rm.region_id)::text AS region_id
            FROM organisation o LEFT JOIN region_organisation ro ON ro.organisation_id = o.id LEFT JOIN region_municipality rm ON rm.nis_code = o.nis_code
        ), placed AS (
          SELECT f.*, p.nis_code, p.region_id FROM fact f JOIN place p ON p.id = f.org
        )
        SELECT CASE WHEN grouping(org) = 0 THEN 'ORGANISATION' WHEN grouping(nis_code) = 0 THEN 'MUNICIPALITY' ELSE 'REGION' END,
               CASE WHEN grouping(org) = 0 THEN org::text WHEN grouping(nis_code) = 0 THEN nis_code ELSE region_id END,
               CASE WHEN grouping(ttype) = 0 THEN ttype ELSE '' END,
               measure, part, count(*), count(DISTINCT person),
               round((percentile_cont(0.5) WITHIN GROUP (ORDER BY days))::numeric, 1),
               round((percentile_cont(0.9) WITHIN GROUP (ORDER BY days))::numeric, 1)
          FROM placed
         GROUP BY measure, part, GROUPING SETS ((org), (org, ttype), (nis_code), (nis_code, ttype), (region_id), (region_id, ttype))
        HAVING (grouping(ttype) = 1 OR ttype IS NOT NULL)
           AND (grouping(nis_code) = 1 OR nis_code IS NOT NULL)
           AND (grouping(region_id) = 1 OR region_id IS NOT NULL)
      $function$;
REVOKE ALL ON FUNCTION indicator_compute(text, date) FROM PUBLIC;

-- Recomputes the periods of up to p_months marked months (each month, its quarter and its year), after
-- marking the months whose figures changed by the passing of days since the last refresh (signals whose
-- review date passed, checkpoints that fell due), and answers them: the caller (IndicatorRepository.refresh)
-- then decides in the same transaction which cells the small-cell rule withholds. A failure leaves the
-- marks. Runs as the owner (the background job, or the tests).
CREATE OR REPLACE FUNCTION indicator_recompute(p_months integer)
 RETURNS TABLE(period text, period_start date)
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public'
AS $function$
      #variable_conflict use_column
      DECLARE
        v_today date := (now() AT TIME ZONE 'Europe/Brussels')::date;
        v_since date;
        v_period record;
      BEGIN
        SELECT (refreshed_at AT TIME ZONE 'Europe/Brussels')::date INTO v_since FROM indicator_refresh FOR UPDATE;
        IF v_since IS NOT NULL AND v_since < v_today THEN
          INSERT INTO indicator_dirty (month)
          SELECT DISTINCT date_trunc('month', r.sent_at AT TIME ZONE 'Europe/Brussels')::date FROM referral r
           WHERE r.kind = 'NOT_YET_READY' AND r.review_date >= v_since - 1 AND r.review_date < v_today AND r.sent_at IS NOT NULL
          UNION
          SELECT DISTINCT date_trunc('month', c.due_on)::date FROM trajectory_checkpoint c WHERE c.due_on > v_since - 1 AND c.due_on <= v_today
          ON CONFLICT (month) DO NOTHING;
        END IF;
        FOR v_period IN
          WITH taken AS (
            DELETE FROM indicator_dirty WHERE month IN (SELECT month FROM indicator_dirty ORDER BY month DESC LIMIT p_months) RETURNING month
          )
          SELECT DISTINCT p.period, p.start FROM taken,
                 LATERAL (VALUES ('month', taken.month), ('quarter', date_trunc('quarter', taken.month)::date), ('year', date_trunc('year', taken.month)::date)) p(period, start)
        LOOP
          DELETE FROM indicator_cell c WHERE c.period = v_period.period AND c.period_start = v_period.start;
          INSERT INTO indicator_cell (period, period_start, scope, scope_key, trajectory_type, measure, part, n, persons, median, p90)
          SELECT v_period.period, v_period.start, f.* FROM indicator_compute(v_period.period, v_period.start) f;
          period := v_period.period;
          period_start := v_period.start;
          RETURN NEXT;
        END LOOP;
        UPDATE indicator_refresh SET refreshed_at = now();
        RETURN;
      END $function$;
REVOKE ALL ON FUNCTION indicator_recompute(integer) FROM PUBLIC;

-- Regions change which organisations a region's figures count: every month with figures is recomputed.
CREATE OR REPLACE FUNCTION indicator_mark_all()
 RETURNS void
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        INSERT INTO indicator_dirty (month)
        SELECT DISTINCT period_start FROM indicator_cell WHERE period = 'month'
        ON CONFLICT (month) DO NOTHING
      $function$;
REVOKE ALL ON FUNCTION indicator_mark_all() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION indicator_mark_all() TO casework_app;

-- Agreements counted for the caller's organisation, its region and the region's municipalities, as of
-- each of p_days: active on the day (confirmed, not terminated, within their dates) and, of those, ending
-- within 90 days. Agreements name organisations, no person; definer rights because a region's count
-- includes agreements the caller's organisation is no party to (it learns only how many).
CREATE OR REPLACE FUNCTION indicator_agreements(p_days date[])
 RETURNS TABLE(day date, scope text, scope_key text, active bigint, ending bigint)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public'
AS $function$
        WITH me AS (
          SELECT o.id, indicator_region_of(o.id) AS region_id FROM organisation o WHERE o.id = app_current_organisation()
        ), party AS (
          SELECT p.agreement_id, o.id AS org, o.nis_code::text AS nis_code, COALESCE(ro.region_id, rm.region_id) AS region_id
            FROM agreement_party p JOIN organisation o ON o.id = p.organisation_id
            LEFT JOIN region_organisation ro ON ro.organisation_id = o.id LEFT JOIN region_municipality rm ON rm.nis_code = o.nis_code
        ), placed AS (
          SELECT DISTINCT s.scope, s.scope_key, party.agreement_id
            FROM party, me,
                 LATERAL (VALUES ('ORGANISATION', CASE WHEN party.org = me.id THEN party.org::text END),
                                 ('REGION', CASE WHEN party.region_id = me.region_id THEN party.region_id::text END),
                                 ('MUNICIPALITY', CASE WHEN party.region_id = me.region_id THEN party.nis_code END)) s(scope, scope_key)
           WHERE s.scope_key IS NOT NULL
        )
        SELECT d.day, placed.scope, placed.scope_key,
               count(*) FILTER (WHERE a.activated_at IS NOT NULL AND (a.activated_at AT TIME ZONE 'Europe/Brussels')::date <= d.day
                                  AND (a.terminated_at IS NULL OR (a.terminated_at AT TIME ZONE 'Europe/Brussels')::date > d.day)
                                  AND a.valid_from <= d.day AND a.valid_until >= d.day),
               count(*) FILTER (WHERE a.activated_at IS NOT NULL AND (a.activated_at AT TIME ZONE 'Europe/Brussels')::date <= d.day
                                  AND (a.terminated_at IS NULL OR (a.terminated_at AT TIME ZONE 'Europe/Brussels')::date > d.day)
                                  AND a.valid_from <= d.day AND a.valid_until >= d.day AND a.valid_until < d.day + 90)
          FROM unnest(p_days) d(day) CROSS JOIN placed JOIN agreement a ON a.id = placed.agreement_id
         GROUP BY d.day, placed.scope, placed.scope_key
      $function$;
REVOKE ALL ON FUNCTION indicator_agreements(date[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION indicator_agreements(date[]) TO casework_app;
