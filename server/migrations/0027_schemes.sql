-- Schemes (考核方案): several assessment trees per year. A scheme is a row of assessment_years: every
-- table keyed by year_id (indicators, plans, forms, score inputs, score versions, deductions,
-- publications) is therefore already per scheme. Each existing row becomes its year's annual
-- comprehensive scheme (kind 'annual', the default); nothing is moved or rewritten. Special schemes
-- (专项考核, kind 'special') sit beside it with their own tree, units assessed, periods, grades,
-- assessing body and publications.
ALTER TABLE assessment_years DROP CONSTRAINT assessment_years_year_uq;
ALTER TABLE assessment_years ADD COLUMN kind text NOT NULL DEFAULT 'annual';
ALTER TABLE assessment_years ADD COLUMN code text NOT NULL DEFAULT 'annual';
ALTER TABLE assessment_years ADD COLUMN assessing_unit_id integer;
ALTER TABLE assessment_years ADD COLUMN periods text NOT NULL DEFAULT 'month';
ALTER TABLE assessment_years ADD COLUMN units_assessed jsonb NOT NULL DEFAULT '{"categoryIds":[],"unitIds":[]}'::jsonb;
ALTER TABLE assessment_years ADD COLUMN methods text NOT NULL DEFAULT '';
ALTER TABLE assessment_years ADD CONSTRAINT assessment_years_kind_ck CHECK (kind IN ('annual','special'));
ALTER TABLE assessment_years ADD CONSTRAINT assessment_years_periods_ck CHECK (periods IN ('month','quarter','half'));
ALTER TABLE assessment_years ADD CONSTRAINT assessment_years_code_ck CHECK (code ~ '^[a-z][a-z0-9_-]{0,39}$');
ALTER TABLE assessment_years ADD CONSTRAINT assessment_years_annual_code_ck CHECK ((kind = 'annual') = (code = 'annual'));
ALTER TABLE assessment_years ADD CONSTRAINT assessment_years_assessing_unit_fk
  FOREIGN KEY (assessing_unit_id) REFERENCES units(id) ON DELETE RESTRICT;
-- One scheme per code and year: exactly one annual scheme per year, any number of special ones.
ALTER TABLE assessment_years ADD CONSTRAINT assessment_years_year_code_uq UNIQUE (year, code);

-- The annual scheme takes a special scheme's published result in as a leaf (纳入年度考核).
ALTER TABLE indicators ADD COLUMN special_scheme_id integer;
ALTER TABLE indicators ADD CONSTRAINT indicators_special_scheme_fk
  FOREIGN KEY (special_scheme_id) REFERENCES assessment_years(id) ON DELETE RESTRICT;
ALTER TABLE indicators DROP CONSTRAINT indicators_data_source_ck;
ALTER TABLE indicators ADD CONSTRAINT indicators_data_source_ck
  CHECK (data_source IN ('self_report','third_party','case_platform','supervision','evaluation','special_assessment','approvals'));
ALTER TABLE indicators ADD CONSTRAINT indicators_special_scheme_ck
  CHECK ((data_source = 'special_assessment') = (special_scheme_id IS NOT NULL));
CREATE INDEX indicators_special_scheme_idx ON indicators(special_scheme_id) WHERE special_scheme_id IS NOT NULL;

ALTER TABLE score_inputs DROP CONSTRAINT score_inputs_source_ck;
ALTER TABLE score_inputs ADD CONSTRAINT score_inputs_source_ck
  CHECK (source IN ('self_report','third_party','case_platform','supervision','evaluation','manual','special_assessment','approvals'));

-- Case platform additions for digital urban management (数字化城市管理):
-- categories classed as 部件 (component) or 事件 (event) with their standard code;
ALTER TABLE case_categories ADD COLUMN urban_class text;
ALTER TABLE case_categories ADD COLUMN urban_code text;
ALTER TABLE case_categories ADD CONSTRAINT case_categories_urban_class_ck
  CHECK (urban_class IS NULL OR urban_class IN ('component','event'));
-- the unit whose grid workers / supervision sub-centre found a problem proactively (主动发现, channel grid);
ALTER TABLE cases ADD COLUMN found_by_unit_id integer;
ALTER TABLE cases ADD CONSTRAINT cases_found_by_unit_fk FOREIGN KEY (found_by_unit_id) REFERENCES units(id) ON DELETE RESTRICT;
CREATE INDEX cases_found_by_idx ON cases(found_by_unit_id, created_at) WHERE found_by_unit_id IS NOT NULL;
-- 误签 (wrong sign-for) and 误结 (wrong closure found at verification) recorded by the supervision
-- centre against a department, and citizens' complaints about a reply (群众对回复的投诉).
CREATE TABLE case_marks (
  id serial PRIMARY KEY,
  case_id integer NOT NULL,
  unit_id integer NOT NULL,
  kind text NOT NULL,
  note text NOT NULL DEFAULT '',
  recorded_by integer,
  recorded_by_name text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT case_marks_kind_ck CHECK (kind IN ('mis_sign','mis_close','reply_complaint')),
  CONSTRAINT case_marks_case_fk FOREIGN KEY (case_id) REFERENCES cases(id) ON DELETE CASCADE,
  CONSTRAINT case_marks_unit_fk FOREIGN KEY (unit_id) REFERENCES units(id) ON DELETE RESTRICT,
  CONSTRAINT case_marks_recorded_by_fk FOREIGN KEY (recorded_by) REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX case_marks_unit_idx ON case_marks(unit_id, recorded_at);
CREATE INDEX case_marks_case_idx ON case_marks(case_id);

-- 不定期抽查: spot checks by a scheme's assessing body, with findings and a 0–100 score; each feeds a
-- third-party leaf of the scheme (the month's average of its checks).
CREATE TABLE spot_checks (
  id serial PRIMARY KEY,
  year_id integer NOT NULL,
  indicator_id integer NOT NULL,
  unit_id integer NOT NULL,
  checked_on date NOT NULL,
  location text NOT NULL,
  findings text NOT NULL,
  score numeric(5,2) NOT NULL,
  checked_by integer,
  checked_by_name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT spot_checks_year_fk FOREIGN KEY (year_id) REFERENCES assessment_years(id) ON DELETE CASCADE,
  CONSTRAINT spot_checks_indicator_fk FOREIGN KEY (year_id, indicator_id) REFERENCES indicators(year_id, id) ON DELETE CASCADE,
  CONSTRAINT spot_checks_unit_fk FOREIGN KEY (unit_id) REFERENCES units(id) ON DELETE RESTRICT,
  CONSTRAINT spot_checks_checked_by_fk FOREIGN KEY (checked_by) REFERENCES users(id) ON DELETE SET NULL,
  CONSTRAINT spot_checks_score_ck CHECK (score BETWEEN 0 AND 100),
  CONSTRAINT spot_checks_findings_ck CHECK (length(btrim(findings)) > 0),
  CONSTRAINT spot_checks_location_ck CHECK (length(btrim(location)) > 0)
);
CREATE INDEX spot_checks_year_unit_idx ON spot_checks(year_id, unit_id, checked_on);
