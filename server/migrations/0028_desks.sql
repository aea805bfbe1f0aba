-- The service centre's other desks (Haicang): mediation (调解中心) and assistance (求助中心), and their
-- data sources `mediation` and `assistance` for indicator leaves and score inputs.

-- The data-source checks gain the two sources. Written to add to whatever list the check holds when this
-- runs (other migrations of the same release add sources of their own), rather than restating it.
DO $$
DECLARE
  c record;
  vals text;
BEGIN
  FOR c IN SELECT t.relname AS tbl, k.conname, k.oid FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid
           WHERE k.conname IN ('indicators_data_source_ck', 'score_inputs_source_ck') LOOP
    SELECT string_agg(DISTINCT quote_literal(m[1]), ',') INTO vals
      FROM (SELECT regexp_matches(pg_get_constraintdef(c.oid), '''([a-z_0-9]+)''', 'g') AS m
            UNION ALL SELECT ARRAY['mediation'] UNION ALL SELECT ARRAY['assistance']) s;
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', c.tbl, c.conname);
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (%I IN (%s))', c.tbl, c.conname,
      CASE WHEN c.tbl = 'indicators' THEN 'data_source' ELSE 'source' END, vals);
  END LOOP;
END $$;

CREATE TABLE mediation_cases (
  id serial PRIMARY KEY,
  number text NOT NULL,
  year integer NOT NULL,
  dispute_type text NOT NULL,
  title text NOT NULL,
  facts text NOT NULL DEFAULT '',
  host_unit_id integer NOT NULL REFERENCES units(id),
  received_on date NOT NULL,
  status text NOT NULL DEFAULT 'open',
  outcome_on date,
  outcome_note text NOT NULL DEFAULT '',
  agreement text NOT NULL DEFAULT '',
  performance text NOT NULL DEFAULT '',
  people integer NOT NULL DEFAULT 1,
  amount_claimed numeric(14,2) NOT NULL DEFAULT 0,
  amount_recovered numeric(14,2) NOT NULL DEFAULT 0,
  created_by integer REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT mediation_cases_number_uq UNIQUE (number),
  CONSTRAINT mediation_cases_type_ck CHECK (dispute_type IN ('labour','neighbour','consumer','property','family','traffic','contract','land','other')),
  CONSTRAINT mediation_cases_status_ck CHECK (status IN ('open','agreed','failed','arbitration','court')),
  CONSTRAINT mediation_cases_outcome_ck CHECK ((status = 'open') = (outcome_on IS NULL)),
  CONSTRAINT mediation_cases_people_ck CHECK (people BETWEEN 1 AND 100000),
  CONSTRAINT mediation_cases_amounts_ck CHECK (amount_claimed >= 0 AND amount_recovered >= 0)
);
CREATE INDEX mediation_cases_year_idx ON mediation_cases(year, received_on DESC, id DESC);
CREATE INDEX mediation_cases_host_idx ON mediation_cases(host_unit_id);

CREATE TABLE mediation_parties (
  id serial PRIMARY KEY,
  case_id integer NOT NULL REFERENCES mediation_cases(id) ON DELETE CASCADE,
  side text NOT NULL,
  name text NOT NULL,
  contact text NOT NULL DEFAULT '',
  address text NOT NULL DEFAULT '',
  CONSTRAINT mediation_parties_side_ck CHECK (side IN ('applicant','respondent'))
);
CREATE INDEX mediation_parties_case_idx ON mediation_parties(case_id);

CREATE TABLE mediation_mediators (
  case_id integer NOT NULL REFERENCES mediation_cases(id) ON DELETE CASCADE,
  user_id integer NOT NULL REFERENCES users(id),
  CONSTRAINT mediation_mediators_pk PRIMARY KEY (case_id, user_id)
);

CREATE TABLE mediation_units (
  case_id integer NOT NULL REFERENCES mediation_cases(id) ON DELETE CASCADE,
  unit_id integer NOT NULL REFERENCES units(id),
  CONSTRAINT mediation_units_pk PRIMARY KEY (case_id, unit_id)
);
CREATE INDEX mediation_units_unit_idx ON mediation_units(unit_id);

CREATE TABLE mediation_sessions (
  id serial PRIMARY KEY,
  case_id integer NOT NULL REFERENCES mediation_cases(id) ON DELETE CASCADE,
  held_on date NOT NULL,
  place text NOT NULL,
  note text NOT NULL,
  recorded_by integer REFERENCES users(id),
  recorded_by_name text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mediation_sessions_case_idx ON mediation_sessions(case_id, held_on);

CREATE TABLE assistance_requests (
  id serial PRIMARY KEY,
  number text NOT NULL,
  year integer NOT NULL,
  kind text NOT NULL,
  requester_name text NOT NULL,
  requester_phone text NOT NULL DEFAULT '',
  requester_address text NOT NULL DEFAULT '',
  people integer NOT NULL DEFAULT 1,
  amount_claimed numeric(14,2) NOT NULL DEFAULT 0,
  amount_recovered numeric(14,2) NOT NULL DEFAULT 0,
  description text NOT NULL,
  received_on date NOT NULL,
  status text NOT NULL DEFAULT 'registered',
  unit_id integer REFERENCES units(id),
  referred_on date,
  due_on date,
  signed_at timestamptz,
  answer text NOT NULL DEFAULT '',
  answered_on date,
  urge_count integer NOT NULL DEFAULT 0,
  satisfaction text,
  feedback_note text NOT NULL DEFAULT '',
  closed_on date,
  created_by integer REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT assistance_requests_number_uq UNIQUE (number),
  CONSTRAINT assistance_requests_kind_ck CHECK (kind IN ('relief','wage','legal_aid','disability','women','elderly','housing','medical','other')),
  CONSTRAINT assistance_requests_status_ck CHECK (status IN ('registered','referred','signed','answered','closed')),
  CONSTRAINT assistance_requests_satisfaction_ck CHECK (satisfaction IS NULL OR satisfaction IN ('satisfied','basic','unsatisfied')),
  CONSTRAINT assistance_requests_referral_ck CHECK ((status = 'registered') = (unit_id IS NULL)),
  CONSTRAINT assistance_requests_people_ck CHECK (people BETWEEN 1 AND 100000),
  CONSTRAINT assistance_requests_amounts_ck CHECK (amount_claimed >= 0 AND amount_recovered >= 0)
);
CREATE INDEX assistance_requests_year_idx ON assistance_requests(year, received_on DESC, id DESC);
CREATE INDEX assistance_requests_unit_idx ON assistance_requests(unit_id, status);

CREATE TABLE assistance_events (
  id serial PRIMARY KEY,
  request_id integer NOT NULL REFERENCES assistance_requests(id) ON DELETE CASCADE,
  kind text NOT NULL,
  actor_id integer REFERENCES users(id),
  actor_name text NOT NULL DEFAULT '',
  unit_id integer REFERENCES units(id),
  note text NOT NULL DEFAULT '',
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assistance_events_request_idx ON assistance_events(request_id, id);
