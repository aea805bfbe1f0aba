-- Evaluation, the rest (issue 14): 好差评 rates and notice counts feed indicator leaves through two new
-- data sources, `ratings` and `notices`.

-- The data-source checks gain the two sources, added to whatever list the check holds when this runs
-- (as 0028 does), rather than restating it.
DO $$
DECLARE
  c record;
  vals text;
BEGIN
  FOR c IN SELECT t.relname AS tbl, k.conname, k.oid FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid
           WHERE k.conname IN ('indicators_data_source_ck', 'score_inputs_source_ck') LOOP
    SELECT string_agg(DISTINCT quote_literal(m[1]), ',') INTO vals
      FROM (SELECT regexp_matches(pg_get_constraintdef(c.oid), '''([a-z_0-9]+)''', 'g') AS m
            UNION ALL SELECT ARRAY['ratings'] UNION ALL SELECT ARRAY['notices']) s;
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', c.tbl, c.conname);
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (%I IN (%s))', c.tbl, c.conname,
      CASE WHEN c.tbl = 'indicators' THEN 'data_source' ELSE 'source' END, vals);
  END LOOP;
END $$;

-- Evidence files of a unit's reply to a notice (stored in the blob store by content hash, like the
-- other evidence); the issuer downloads them.
CREATE TABLE notice_files (
  id serial PRIMARY KEY,
  notice_id integer NOT NULL REFERENCES notices(id),
  sha256 text NOT NULL,
  name text NOT NULL,
  mime text NOT NULL,
  size integer NOT NULL,
  uploaded_by integer REFERENCES users(id),
  uploaded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notice_files_notice_idx ON notice_files(notice_id);
