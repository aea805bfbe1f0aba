-- Scoring on the database: accountability deductions (问责扣分), immutable publications of results,
-- and the bookkeeping that lets an app instance refresh its cached scores incrementally.

-- Which score version wrote each input, so an instance holding version v can fetch just the inputs
-- written after it. score_versions.config_version is the last version bumped by a configuration change
-- (indicators, plans, deductions, units): when it is newer than the cached version, rebuild fully.
ALTER TABLE score_inputs ADD COLUMN version bigint NOT NULL DEFAULT 0;
CREATE INDEX score_inputs_version_idx ON score_inputs(year_id, version);
ALTER TABLE score_versions ADD COLUMN config_version bigint NOT NULL DEFAULT 0;

CREATE TABLE accountability_deductions (
  id serial PRIMARY KEY,
  year_id integer NOT NULL,
  unit_id integer NOT NULL,
  period text NOT NULL,                 -- 'YYYY-MM', the month the deduction counts in
  points numeric(10,3) NOT NULL,
  reason text NOT NULL,
  document_no text NOT NULL,            -- 文号 of the accountability decision
  created_by integer,
  created_by_name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT accountability_deductions_year_fk FOREIGN KEY (year_id) REFERENCES assessment_years(id) ON DELETE CASCADE,
  CONSTRAINT accountability_deductions_unit_fk FOREIGN KEY (unit_id) REFERENCES units(id) ON DELETE RESTRICT,
  CONSTRAINT accountability_deductions_created_by_fk FOREIGN KEY (created_by) REFERENCES users(id) ON DELETE SET NULL,
  CONSTRAINT accountability_deductions_period_ck CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  CONSTRAINT accountability_deductions_points_ck CHECK (points > 0 AND points <= 100),
  CONSTRAINT accountability_deductions_reason_ck CHECK (length(btrim(reason)) > 0),
  CONSTRAINT accountability_deductions_document_ck CHECK (length(btrim(document_no)) > 0)
);
CREATE INDEX accountability_deductions_year_idx ON accountability_deductions(year_id, unit_id);

-- A published result: the frozen ranking table (what every unit got) plus a compressed snapshot of everything
-- needed to explain each number later (model input with methods, targets and inputs, input
-- provenance, leaf and node scores). Rows are never changed: re-publishing a period adds a new row.
CREATE TABLE score_publications (
  id serial PRIMARY KEY,
  year_id integer NOT NULL,
  period text NOT NULL,                 -- 'YYYY-MM' | 'YYYY-Qn' | 'YYYY-Hn' | 'YYYY'
  window_kind text NOT NULL,
  window_n smallint NOT NULL,
  window_label text NOT NULL,
  full_year boolean NOT NULL,
  score_version bigint NOT NULL,
  note text NOT NULL DEFAULT '',
  unit_count integer NOT NULL,
  result jsonb NOT NULL,                -- the ranking table as published (rows of every unit)
  snapshot bytea NOT NULL,              -- gzip of the JSON snapshot
  snapshot_sha256 text NOT NULL,
  published_by integer,
  published_by_name text NOT NULL,
  published_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT score_publications_year_fk FOREIGN KEY (year_id) REFERENCES assessment_years(id) ON DELETE RESTRICT,
  CONSTRAINT score_publications_published_by_fk FOREIGN KEY (published_by) REFERENCES users(id) ON DELETE RESTRICT,
  CONSTRAINT score_publications_period_ck CHECK (period ~ '^[0-9]{4}(-(0[1-9]|1[0-2]|Q[1-4]|H[1-2]))?$'),
  CONSTRAINT score_publications_window_ck CHECK (window_kind IN ('month','ytd','quarter','half'))
);
CREATE INDEX score_publications_year_idx ON score_publications(year_id, period, id);

-- Published results are immutable: the database refuses to change or remove them.
CREATE FUNCTION score_publications_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'score_publications rows are immutable' USING ERRCODE = '55000';
END $$;
CREATE TRIGGER score_publications_no_change BEFORE UPDATE OR DELETE ON score_publications
  FOR EACH ROW EXECUTE FUNCTION score_publications_immutable();
CREATE TRIGGER score_publications_no_truncate BEFORE TRUNCATE ON score_publications
  FOR EACH STATEMENT EXECUTE FUNCTION score_publications_immutable();
