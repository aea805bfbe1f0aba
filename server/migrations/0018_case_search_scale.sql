-- Lists and search at megacity scale (issue 19): millions of cases, of which a few percent are open.
--
-- Keyword search in Chinese: trigram indexes do not help 2-character words (噪音, 路灯), so the text a
-- keyword search reads (number, description, address) is indexed as its set of character bigrams
-- (lower-cased, no whitespace) in a GIN expression index. A query is the AND of its own bigrams; the
-- candidates are then checked with the same ILIKE as before, so the rows found are exactly those of a
-- substring search. The index is maintained by PostgreSQL on every write (no column to keep in step),
-- and works the same on PGlite and PostgreSQL 15 (no extension). Functions called from index expressions
-- name each other with their schema: PostgreSQL 17+ runs index maintenance with a safe search_path.
CREATE FUNCTION xn_bigrams(t text) RETURNS tsvector
  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  l text := regexp_replace(lower(t), '\s+', ' ', 'g');
  a text[] := '{}';
  g text;
BEGIN
  FOR i IN 1 .. length(l) - 1 LOOP
    g := substr(l, i, 2);
    IF strpos(g, ' ') = 0 THEN a := a || g; END IF;
  END LOOP;
  RETURN array_to_tsvector(a);
END
$$;

CREATE FUNCTION xn_case_search_text(number text, description text, address text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT public.xn_bigrams(number || ' ' || description || ' ' || address)
$$;

CREATE INDEX cases_search_idx ON cases USING gin (xn_case_search_text(number, description, address));

-- Phone numbers as digits only: full-width digits folded, separators dropped, +86 / 0086 removed, so
-- "138-0013-8000", "+86 138 0013 8000" and "13800138000" are one number.
CREATE FUNCTION xn_phone_norm(p text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE
    WHEN d LIKE '0086%' THEN substr(d, 5)
    WHEN length(d) = 13 AND d LIKE '86%' THEN substr(d, 3)
    ELSE d END
  FROM (SELECT regexp_replace(translate(p, '０１２３４５６７８９', '0123456789'), '[^0-9]', '', 'g') AS d) x
$$;

CREATE INDEX cases_phone_idx ON cases (xn_phone_norm(requester_phone)) WHERE requester_phone <> '';

-- Newest first with a stable tie-break (the lists' order), readable backwards.
DROP INDEX cases_created_idx;
CREATE INDEX cases_created_idx ON cases (created_at, id);

-- Open work only: lists by deadline and the home counters read these small indexes (index-only when
-- the visibility map allows), never the millions of closed cases.
CREATE INDEX cases_open_deadline_idx ON cases (deadline, id)
  WHERE status IN ('dispatched','signed','in_progress');
CREATE INDEX cases_open_status_idx ON cases (status, deadline, due_soon_at, sign_due)
  WHERE status IN ('accepted','dispatched','signed','in_progress','reported','verified','review','returned');
CREATE INDEX case_dispatches_active_idx ON case_dispatches (unit_id, deadline, id) INCLUDE (status, sign_due, due_soon_at)
  WHERE status IN ('pending','signed','in_progress');
CREATE INDEX case_dispatches_ext_idx ON case_dispatches (case_id)
  WHERE ext_requested_at IS NOT NULL AND status IN ('pending','signed','in_progress');
-- A case's work orders by unit: the scope check of a unit's lists reads the index only.
DROP INDEX case_dispatches_case_idx;
CREATE INDEX case_dispatches_case_idx ON case_dispatches (case_id, unit_id, status);
