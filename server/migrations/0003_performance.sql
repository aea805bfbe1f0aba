-- Performance configuration: assessment years, the indicator tree, annual performance plans and their adjustments.
CREATE TABLE assessment_years (
  id serial PRIMARY KEY,
  year integer NOT NULL,
  name text NOT NULL,
  status text NOT NULL DEFAULT 'draft',
  grade_rule jsonb NOT NULL,
  deadline_day smallint NOT NULL DEFAULT 15,   -- monthly data are due on this day of the following month
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT assessment_years_year_uq UNIQUE (year),
  CONSTRAINT assessment_years_year_ck CHECK (year BETWEEN 2000 AND 2100),
  CONSTRAINT assessment_years_status_ck CHECK (status IN ('draft','in_force','closed')),
  CONSTRAINT assessment_years_deadline_ck CHECK (deadline_day BETWEEN 1 AND 28)
);

CREATE TABLE indicators (
  id serial PRIMARY KEY,
  year_id integer NOT NULL,
  parent_id integer,
  code text NOT NULL,
  name text NOT NULL,
  level smallint NOT NULL,
  points numeric(10,3) NOT NULL DEFAULT 0,
  sort integer NOT NULL DEFAULT 0,
  unit_of_measure text NOT NULL DEFAULT '',
  description text NOT NULL DEFAULT '',
  applies_to jsonb NOT NULL DEFAULT '{"categoryIds":[],"unitIds":[]}'::jsonb,
  assessing_unit_id integer,
  data_source text NOT NULL DEFAULT 'self_report',
  direction text NOT NULL DEFAULT 'positive',
  method jsonb,
  aggregate text NOT NULL DEFAULT 'sum',
  case_metric text,
  weight numeric(10,6),
  CONSTRAINT indicators_year_code_uq UNIQUE (year_id, code),
  -- Target of the composite parent key below: a parent must belong to the same year.
  CONSTRAINT indicators_year_id_uq UNIQUE (year_id, id),
  CONSTRAINT indicators_year_fk FOREIGN KEY (year_id) REFERENCES assessment_years(id) ON DELETE CASCADE,
  CONSTRAINT indicators_parent_fk FOREIGN KEY (year_id, parent_id) REFERENCES indicators(year_id, id) ON DELETE CASCADE,
  CONSTRAINT indicators_assessing_unit_fk FOREIGN KEY (assessing_unit_id) REFERENCES units(id) ON DELETE RESTRICT,
  CONSTRAINT indicators_level_ck CHECK (level >= 1),
  CONSTRAINT indicators_points_ck CHECK (points >= 0),
  CONSTRAINT indicators_data_source_ck CHECK (data_source IN ('self_report','third_party','case_platform','supervision','evaluation')),
  CONSTRAINT indicators_direction_ck CHECK (direction IN ('positive','negative')),
  CONSTRAINT indicators_aggregate_ck CHECK (aggregate IN ('sum','last','avg'))
);
CREATE INDEX indicators_parent_idx ON indicators(parent_id);

CREATE TABLE performance_plans (
  id serial PRIMARY KEY,
  year_id integer NOT NULL,
  unit_id integer NOT NULL,
  status text NOT NULL DEFAULT 'draft',
  submitted_by integer,
  submitted_at timestamptz,
  reviewed_by integer,
  reviewed_at timestamptz,
  review_comment text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT performance_plans_year_unit_uq UNIQUE (year_id, unit_id),
  CONSTRAINT performance_plans_year_fk FOREIGN KEY (year_id) REFERENCES assessment_years(id) ON DELETE CASCADE,
  CONSTRAINT performance_plans_unit_fk FOREIGN KEY (unit_id) REFERENCES units(id) ON DELETE RESTRICT,
  CONSTRAINT performance_plans_submitted_by_fk FOREIGN KEY (submitted_by) REFERENCES users(id) ON DELETE SET NULL,
  CONSTRAINT performance_plans_reviewed_by_fk FOREIGN KEY (reviewed_by) REFERENCES users(id) ON DELETE SET NULL,
  CONSTRAINT performance_plans_status_ck CHECK (status IN ('draft','submitted','returned','approved'))
);
CREATE INDEX performance_plans_unit_idx ON performance_plans(unit_id);

CREATE TABLE plan_targets (
  plan_id integer NOT NULL,
  indicator_id integer NOT NULL,
  target numeric(16,4) NOT NULL,
  challenge numeric(16,4),
  note text NOT NULL DEFAULT '',
  CONSTRAINT plan_targets_pk PRIMARY KEY (plan_id, indicator_id),
  CONSTRAINT plan_targets_plan_fk FOREIGN KEY (plan_id) REFERENCES performance_plans(id) ON DELETE CASCADE,
  CONSTRAINT plan_targets_indicator_fk FOREIGN KEY (indicator_id) REFERENCES indicators(id) ON DELETE CASCADE
);
CREATE INDEX plan_targets_indicator_idx ON plan_targets(indicator_id);

CREATE TABLE plan_adjustments (
  id serial PRIMARY KEY,
  plan_id integer NOT NULL,
  indicator_id integer NOT NULL,
  old_target numeric(16,4),
  new_target numeric(16,4) NOT NULL,
  old_challenge numeric(16,4),
  new_challenge numeric(16,4),
  reason text NOT NULL,
  status text NOT NULL DEFAULT 'requested',
  requested_by integer,
  requested_at timestamptz NOT NULL DEFAULT now(),
  decided_by integer,
  decided_at timestamptz,
  decision_comment text,
  CONSTRAINT plan_adjustments_plan_fk FOREIGN KEY (plan_id) REFERENCES performance_plans(id) ON DELETE CASCADE,
  CONSTRAINT plan_adjustments_indicator_fk FOREIGN KEY (indicator_id) REFERENCES indicators(id) ON DELETE CASCADE,
  CONSTRAINT plan_adjustments_requested_by_fk FOREIGN KEY (requested_by) REFERENCES users(id) ON DELETE SET NULL,
  CONSTRAINT plan_adjustments_decided_by_fk FOREIGN KEY (decided_by) REFERENCES users(id) ON DELETE SET NULL,
  CONSTRAINT plan_adjustments_status_ck CHECK (status IN ('requested','approved','rejected')),
  CONSTRAINT plan_adjustments_reason_ck CHECK (length(btrim(reason)) > 0)
);
CREATE INDEX plan_adjustments_plan_idx ON plan_adjustments(plan_id);
-- At most one open request per plan and indicator.
CREATE UNIQUE INDEX plan_adjustments_open_uq ON plan_adjustments(plan_id, indicator_id) WHERE status = 'requested';
