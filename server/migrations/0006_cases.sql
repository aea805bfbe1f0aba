-- Public service platform (公共服务平台, 12345-style): case categories, routing rules, cases with their
-- dispatches (lead + assisting departments), the timeline of events, escalations (督办), attachments,
-- in-app notices to units, the SMS outbox, tracking failures (brute-force limit) and the daily number counter.

CREATE TABLE case_categories (
  id serial PRIMARY KEY,
  parent_id integer,
  code text NOT NULL,
  name text NOT NULL,
  default_unit_id integer,                  -- NULL: the nearest ancestor's default department applies
  time_limit_days integer NOT NULL DEFAULT 10,  -- handling time limit in working days
  sign_hours integer NOT NULL DEFAULT 4,    -- sign-for limit in working hours
  open311_code text,                        -- GeoReport v2 service_code
  description text NOT NULL DEFAULT '',
  active boolean NOT NULL DEFAULT true,
  sort integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT case_categories_code_uq UNIQUE (code),
  CONSTRAINT case_categories_open311_uq UNIQUE (open311_code),
  CONSTRAINT case_categories_parent_fk FOREIGN KEY (parent_id) REFERENCES case_categories(id) ON DELETE RESTRICT,
  CONSTRAINT case_categories_unit_fk FOREIGN KEY (default_unit_id) REFERENCES units(id) ON DELETE RESTRICT,
  CONSTRAINT case_categories_limit_ck CHECK (time_limit_days BETWEEN 1 AND 365),
  CONSTRAINT case_categories_sign_ck CHECK (sign_hours BETWEEN 1 AND 240)
);
CREATE INDEX case_categories_parent_idx ON case_categories(parent_id);

-- Keyword (in the description) or place (in the address) → department; highest priority wins.
CREATE TABLE routing_rules (
  id serial PRIMARY KEY,
  kind text NOT NULL,
  pattern text NOT NULL,
  category_id integer,                      -- only for this category and its sub-categories; NULL: any
  unit_id integer NOT NULL,
  priority integer NOT NULL DEFAULT 0,
  note text NOT NULL DEFAULT '',
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT routing_rules_kind_ck CHECK (kind IN ('keyword','address')),
  CONSTRAINT routing_rules_category_fk FOREIGN KEY (category_id) REFERENCES case_categories(id) ON DELETE CASCADE,
  CONSTRAINT routing_rules_unit_fk FOREIGN KEY (unit_id) REFERENCES units(id) ON DELETE RESTRICT
);

-- One row per Beijing date; UPDATE ... RETURNING inside the intake transaction hands out the daily sequence
-- safely across several app instances.
CREATE TABLE case_number_counters (
  day date PRIMARY KEY,
  last integer NOT NULL
);

CREATE TABLE case_settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL
);

CREATE TABLE cases (
  id serial PRIMARY KEY,
  number text NOT NULL,
  password_hash text NOT NULL,             -- argon2id of the 6-digit query password; the password itself is never stored
  channel text NOT NULL,
  type text NOT NULL,
  category_id integer NOT NULL,
  status text NOT NULL,
  requester_name text NOT NULL DEFAULT '',
  requester_phone text NOT NULL DEFAULT '',
  requester_enterprise boolean NOT NULL DEFAULT false,
  enterprise_name text NOT NULL DEFAULT '',
  anonymous boolean NOT NULL DEFAULT false,
  description text NOT NULL,
  address text NOT NULL DEFAULT '',
  address_norm text NOT NULL DEFAULT '',
  lat double precision,
  lng double precision,
  external_ref text,
  source_ip text,
  created_by integer,
  -- The current lead dispatch, mirrored here so lists can filter and sort in SQL.
  lead_unit_id integer,
  time_limit_days integer,
  dispatched_at timestamptz,
  sign_due timestamptz,
  signed_at timestamptz,
  deadline timestamptz,
  due_soon_at timestamptz,
  reported_at timestamptz,
  verified_at timestamptz,
  closed_at timestamptz,
  result text NOT NULL DEFAULT '',
  reject_reason text NOT NULL DEFAULT '',
  feedback_rating text,
  feedback_comment text NOT NULL DEFAULT '',
  feedback_by text,
  feedback_at timestamptz,
  review_result text,
  redo_count integer NOT NULL DEFAULT 0,
  extension_count integer NOT NULL DEFAULT 0,
  return_count integer NOT NULL DEFAULT 0,
  escalated boolean NOT NULL DEFAULT false,
  main_case_id integer,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT cases_number_uq UNIQUE (number),
  CONSTRAINT cases_channel_ck CHECK (channel IN ('hotline','web','community','city_transfer','grid','deputy','petition','open311')),
  CONSTRAINT cases_type_ck CHECK (type IN ('complaint','help','consultation','suggestion','report','mediation')),
  CONSTRAINT cases_status_ck CHECK (status IN ('accepted','rejected','merged','dispatched','signed','in_progress','reported','verified','review','returned','closed')),
  CONSTRAINT cases_rating_ck CHECK (feedback_rating IS NULL OR feedback_rating IN ('satisfied','basic','unsatisfied')),
  CONSTRAINT cases_review_ck CHECK (review_result IS NULL OR review_result IN ('qualified','unqualified')),
  CONSTRAINT cases_latlng_ck CHECK ((lat IS NULL) = (lng IS NULL)),
  CONSTRAINT cases_category_fk FOREIGN KEY (category_id) REFERENCES case_categories(id) ON DELETE RESTRICT,
  CONSTRAINT cases_lead_unit_fk FOREIGN KEY (lead_unit_id) REFERENCES units(id) ON DELETE RESTRICT,
  CONSTRAINT cases_created_by_fk FOREIGN KEY (created_by) REFERENCES users(id) ON DELETE SET NULL,
  CONSTRAINT cases_main_fk FOREIGN KEY (main_case_id) REFERENCES cases(id) ON DELETE RESTRICT
);
CREATE INDEX cases_status_idx ON cases(status);
CREATE INDEX cases_created_idx ON cases(created_at);
CREATE INDEX cases_category_created_idx ON cases(category_id, created_at);
CREATE INDEX cases_lead_unit_idx ON cases(lead_unit_id);
CREATE INDEX cases_deadline_idx ON cases(deadline);
CREATE INDEX cases_main_idx ON cases(main_case_id);
CREATE INDEX cases_source_ip_idx ON cases(source_ip, created_at);

-- One department's work order on a case. Statistics read these: deadline, sign_due, signed_at,
-- reported_at, extension_count, returned.
CREATE TABLE case_dispatches (
  id serial PRIMARY KEY,
  case_id integer NOT NULL,
  unit_id integer NOT NULL,
  role text NOT NULL,
  round integer NOT NULL DEFAULT 1,        -- 1 for the first dispatch; +1 for each re-dispatch after a return and each redo
  kind text NOT NULL DEFAULT 'dispatch',
  status text NOT NULL DEFAULT 'pending',
  time_limit_days integer NOT NULL,
  dispatched_at timestamptz NOT NULL DEFAULT now(),
  dispatched_by integer,
  sign_due timestamptz NOT NULL,
  signed_at timestamptz,
  signed_by integer,
  started_at timestamptz,
  deadline timestamptz NOT NULL,
  due_soon_at timestamptz NOT NULL,
  reported_at timestamptz,
  reported_by integer,
  result text NOT NULL DEFAULT '',
  extension_count integer NOT NULL DEFAULT 0,
  extension_days integer NOT NULL DEFAULT 0,
  ext_requested_days integer,              -- a pending extension request (延期申请), cleared on decision
  ext_reason text,
  ext_requested_at timestamptz,
  returned boolean NOT NULL DEFAULT false,
  returned_at timestamptz,
  return_reason text NOT NULL DEFAULT '',
  ended_at timestamptz,                    -- when the dispatch stopped being active (reported, returned, cancelled)
  CONSTRAINT case_dispatches_role_ck CHECK (role IN ('lead','assist')),
  CONSTRAINT case_dispatches_kind_ck CHECK (kind IN ('dispatch','redo')),
  CONSTRAINT case_dispatches_status_ck CHECK (status IN ('pending','signed','in_progress','reported','returned','cancelled')),
  CONSTRAINT case_dispatches_case_fk FOREIGN KEY (case_id) REFERENCES cases(id) ON DELETE CASCADE,
  CONSTRAINT case_dispatches_unit_fk FOREIGN KEY (unit_id) REFERENCES units(id) ON DELETE RESTRICT
);
CREATE INDEX case_dispatches_case_idx ON case_dispatches(case_id);
CREATE INDEX case_dispatches_unit_status_idx ON case_dispatches(unit_id, status);
CREATE INDEX case_dispatches_dispatched_idx ON case_dispatches(dispatched_at);

-- The timeline. Every change of a case writes exactly one row here (through one service function).
CREATE TABLE case_events (
  id bigserial PRIMARY KEY,
  case_id integer NOT NULL,
  type text NOT NULL,
  from_status text,
  to_status text,
  actor_id integer,
  actor_name text NOT NULL,
  actor_role text NOT NULL,
  unit_id integer,
  dispatch_id integer,
  at timestamptz NOT NULL DEFAULT now(),
  note text NOT NULL DEFAULT '',
  is_public boolean NOT NULL DEFAULT false,
  public_text text NOT NULL DEFAULT '',
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  CONSTRAINT case_events_case_fk FOREIGN KEY (case_id) REFERENCES cases(id) ON DELETE CASCADE
);
CREATE INDEX case_events_case_idx ON case_events(case_id, id);
CREATE INDEX case_events_at_idx ON case_events(at);

-- 督办: requested by level 2, approved or rejected by level 1, then followed with notes.
CREATE TABLE case_escalations (
  id serial PRIMARY KEY,
  case_id integer NOT NULL,
  status text NOT NULL DEFAULT 'pending',
  reason text NOT NULL,
  requested_by integer,
  requested_by_name text NOT NULL DEFAULT '',
  requested_at timestamptz NOT NULL DEFAULT now(),
  decided_by integer,
  decided_by_name text NOT NULL DEFAULT '',
  decided_at timestamptz,
  decision_note text NOT NULL DEFAULT '',
  follow_count integer NOT NULL DEFAULT 0,
  last_follow_at timestamptz,
  last_follow_note text NOT NULL DEFAULT '',
  ended_at timestamptz,
  CONSTRAINT case_escalations_status_ck CHECK (status IN ('pending','approved','rejected','closed')),
  CONSTRAINT case_escalations_case_fk FOREIGN KEY (case_id) REFERENCES cases(id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX case_escalations_open_uq ON case_escalations(case_id) WHERE status IN ('pending','approved');
CREATE INDEX case_escalations_status_idx ON case_escalations(status);

CREATE TABLE case_attachments (
  id serial PRIMARY KEY,
  case_id integer NOT NULL,
  dispatch_id integer,
  kind text NOT NULL,
  filename text NOT NULL,
  mime text NOT NULL,
  size integer NOT NULL,
  sha256 text NOT NULL,                    -- content address under DATA_DIR/uploads/cases
  uploaded_by integer,
  uploaded_by_name text NOT NULL,
  unit_id integer,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT case_attachments_kind_ck CHECK (kind IN ('intake','report','other')),
  CONSTRAINT case_attachments_case_fk FOREIGN KEY (case_id) REFERENCES cases(id) ON DELETE CASCADE
);
CREATE INDEX case_attachments_case_idx ON case_attachments(case_id);

-- In-app notices to a unit's handlers (dispatch, 催办, decisions).
CREATE TABLE case_notices (
  id bigserial PRIMARY KEY,
  case_id integer NOT NULL,
  unit_id integer NOT NULL,
  kind text NOT NULL,
  text text NOT NULL,
  actor_name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz,
  read_by integer,
  CONSTRAINT case_notices_case_fk FOREIGN KEY (case_id) REFERENCES cases(id) ON DELETE CASCADE,
  CONSTRAINT case_notices_unit_fk FOREIGN KEY (unit_id) REFERENCES units(id) ON DELETE CASCADE
);
CREATE INDEX case_notices_unit_idx ON case_notices(unit_id, read_at);

-- Written in the case's transaction; sent later by the sender loop (status sending = claimed by an instance).
CREATE TABLE sms_outbox (
  id bigserial PRIMARY KEY,
  case_id integer,
  phone text NOT NULL,
  template text NOT NULL,
  params jsonb NOT NULL DEFAULT '{}'::jsonb,
  body text NOT NULL,
  status text NOT NULL DEFAULT 'pending',
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  claimed_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  CONSTRAINT sms_outbox_status_ck CHECK (status IN ('pending','sending','sent','failed')),
  CONSTRAINT sms_outbox_template_ck CHECK (template IN ('acceptance','completion','feedback_request')),
  CONSTRAINT sms_outbox_case_fk FOREIGN KEY (case_id) REFERENCES cases(id) ON DELETE SET NULL
);
CREATE INDEX sms_outbox_due_idx ON sms_outbox(status, next_attempt_at);
CREATE INDEX sms_outbox_case_idx ON sms_outbox(case_id);

-- Wrong tracking passwords, counted per case number and per client IP in a sliding window.
CREATE TABLE case_track_failures (
  id bigserial PRIMARY KEY,
  number text NOT NULL,
  ip text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_track_failures_number_idx ON case_track_failures(number, at);
CREATE INDEX case_track_failures_ip_idx ON case_track_failures(ip, at);
CREATE INDEX case_track_failures_at_idx ON case_track_failures(at);
