-- Finding people the way people search: any part of the name, in any order, accents and case ignored,
-- typo-tolerant (pg_trgm word similarity), over client_identity.search_name (casework_fold of
-- "last first"). Who may be found is not decided here: callers search only identities the rule lets
-- them read (casework_own_persons_named for own files, casework_partner_persons for partner files).
-- The candidates' similarity threshold is the transaction's pg_trgm.word_similarity_threshold, which
-- the client repository sets (NAME_SIMILARITY) before a name search.
-- Current definitions, re-applied after the migrations at every start (apps/api/src/database/sql-definitions.ts).

-- The words of a search, folded, longest first (the longest is the most selective for the index).
CREATE OR REPLACE FUNCTION casework_search_terms(p_search text)
 RETURNS text[]
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
AS $function$
  SELECT coalesce(array_agg(t ORDER BY length(t) DESC, t), '{}')
    FROM (SELECT DISTINCT t FROM regexp_split_to_table(casework_fold(p_search), '[^[:alnum:]]+') AS t WHERE t <> '' LIMIT 8) terms
$function$;

-- One word of a search against a folded name: a part of a name word, or a typo of a whole name word
-- (words of 4 or 5 letters one edit away, longer words two: "hadou" for Haddou, "samria" for Samira;
-- shorter words only as parts, or "peet" would find Persoon). Trigram similarity picks the candidates,
-- the edit distance decides.
-- The candidate test has no sub-select, so the planner inlines it and the GiST index on
-- (organisation_id, search_name) serves both of its arms.
CREATE OR REPLACE FUNCTION casework_name_term_candidate(p_name text, p_term text)
 RETURNS boolean
 LANGUAGE sql
 STABLE PARALLEL SAFE
AS $function$ SELECT p_name LIKE '%' || p_term || '%' OR (length(p_term) >= 4 AND p_name %> p_term) $function$;

CREATE OR REPLACE FUNCTION casework_name_term_matches(p_name text, p_term text)
 RETURNS boolean
 LANGUAGE plpgsql
 STABLE STRICT PARALLEL SAFE
AS $function$
DECLARE
  w text;
BEGIN
  IF p_name LIKE '%' || p_term || '%' THEN RETURN true; END IF;
  IF NOT casework_name_term_candidate(p_name, p_term) THEN RETURN false; END IF;
  FOREACH w IN ARRAY regexp_split_to_array(p_name, '[^[:alnum:]]+') LOOP
    IF levenshtein(w, p_term) <= (CASE WHEN length(p_term) >= 6 THEN 2 ELSE 1 END) THEN RETURN true; END IF;
  END LOOP;
  RETURN false;
END
$function$;

-- Every word of the search matches the name (in any order). No words: no match.
-- Called for every candidate name, so it is cheap where it can be: every word's candidate test first
-- (a low similarity threshold lets many names through for one word; most fail another word's), and
-- the edit distance only for a word that is not a part of the name. A match is a candidate, so the
-- answer is that of casework_name_term_matches for every word.
CREATE OR REPLACE FUNCTION casework_name_matches(p_name text, p_terms text[])
 RETURNS boolean
 LANGUAGE plpgsql
 STABLE PARALLEL SAFE
AS $function$
DECLARE
  t text;
BEGIN
  IF coalesce(cardinality(p_terms), 0) = 0 THEN RETURN false; END IF;
  FOREACH t IN ARRAY p_terms LOOP
    IF NOT casework_name_term_candidate(p_name, t) THEN RETURN false; END IF;
  END LOOP;
  FOREACH t IN ARRAY p_terms LOOP
    CONTINUE WHEN p_name LIKE '%' || t || '%';
    IF NOT casework_name_term_matches(p_name, t) THEN RETURN false; END IF;
  END LOOP;
  RETURN true;
END
$function$;
