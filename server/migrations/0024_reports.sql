-- Analysis reports (综合分析报告 / 专项分析报告): each issued report is kept with the data version it was
-- built from and its documents' bytes, so a download later is byte-identical to the one issued.
CREATE TABLE analysis_reports (
  id serial PRIMARY KEY,
  year_id integer NOT NULL REFERENCES assessment_years(id) ON DELETE CASCADE,
  period text NOT NULL,
  period_kind text NOT NULL,
  unit_id integer REFERENCES units(id),
  title text NOT NULL,
  score_version bigint NOT NULL,
  content jsonb NOT NULL,
  content_sha256 text NOT NULL,
  docx bytea NOT NULL,
  docx_sha256 text NOT NULL,
  xlsx bytea NOT NULL,
  xlsx_sha256 text NOT NULL,
  trigger text NOT NULL,
  created_by integer REFERENCES users(id),
  created_by_name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT analysis_reports_kind_ck CHECK (period_kind IN ('month', 'quarter', 'half', 'year')),
  CONSTRAINT analysis_reports_period_ck CHECK (period ~ '^[0-9]{4}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]))?$'),
  CONSTRAINT analysis_reports_trigger_ck CHECK (trigger IN ('manual', 'scheduled', 'seed'))
);
CREATE INDEX analysis_reports_year_idx ON analysis_reports(year_id, period);
CREATE INDEX analysis_reports_unit_idx ON analysis_reports(unit_id);
