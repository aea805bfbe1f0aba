-- Score inputs: the current value of each leaf indicator for a unit and month, from whatever source
-- (accepted data submissions, third-party entry, case-platform statistics, supervision, evaluations).
-- History lives with the source (submission revisions, case events); this table is the engine's input.
CREATE TABLE score_inputs (
  year_id integer NOT NULL,
  indicator_id integer NOT NULL,
  unit_id integer NOT NULL,
  period text NOT NULL,                 -- 'YYYY-MM'
  value numeric,                        -- the value the scoring method reads (NULL = fields only)
  fields jsonb NOT NULL DEFAULT '{}',   -- all form field values, for formula methods
  source text NOT NULL,
  source_ref text,                      -- e.g. 'submission:12#r2', 'cases:2026-03'
  entered_by integer,
  entered_by_name text NOT NULL,
  entered_at timestamptz NOT NULL,
  CONSTRAINT score_inputs_pk PRIMARY KEY (indicator_id, unit_id, period),
  CONSTRAINT score_inputs_period_ck CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  CONSTRAINT score_inputs_source_ck CHECK (source IN ('self_report','third_party','case_platform','supervision','evaluation','manual')),
  CONSTRAINT score_inputs_unit_fk FOREIGN KEY (unit_id) REFERENCES units(id) ON DELETE RESTRICT
);
CREATE INDEX score_inputs_year_idx ON score_inputs(year_id, period);
CREATE INDEX score_inputs_unit_idx ON score_inputs(unit_id, year_id);

-- Bumped on every change to a year's inputs or configuration, so every app instance can tell whether
-- its cached score model is current without keeping state of its own.
CREATE TABLE score_versions (
  year_id integer PRIMARY KEY,
  version bigint NOT NULL DEFAULT 0,
  changed_at timestamptz NOT NULL DEFAULT now()
);
