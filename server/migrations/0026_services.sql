-- Government services (政务服务) and electronic supervision (电子监察): the catalogue of service items with
-- their approval steps, applications with their steps (parallel steps share a stage), requests for missing
-- materials (补正, which stop the clock), materials, the timeline, warnings, complaints, brute-force
-- limits of public tracking, and per department and month figures kept in the writes' transactions.
CREATE TABLE service_items (
  id serial PRIMARY KEY,
  code text NOT NULL,
  name text NOT NULL,
  kind text NOT NULL,
  department_id integer NOT NULL REFERENCES units(id),
  legal_days integer NOT NULL,
  committed_days integer NOT NULL,
  materials jsonb NOT NULL DEFAULT '[]',
  fees text NOT NULL DEFAULT '',
  channel text NOT NULL DEFAULT 'both',
  guide text NOT NULL DEFAULT '',
  steps jsonb NOT NULL DEFAULT '[]',
  parallel boolean NOT NULL DEFAULT false,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT service_items_code_uq UNIQUE (code),
  CONSTRAINT service_items_kind_ck CHECK (kind IN ('license','payment','confirmation','public_service','other')),
  CONSTRAINT service_items_channel_ck CHECK (channel IN ('online','window','both')),
  CONSTRAINT service_items_days_ck CHECK (committed_days >= 0 AND legal_days >= committed_days)
);
CREATE INDEX service_items_department_idx ON service_items(department_id);

CREATE TABLE service_applications (
  id bigserial PRIMARY KEY,
  number text NOT NULL,
  password_hash text NOT NULL,
  item_id integer NOT NULL REFERENCES service_items(id),
  department_id integer NOT NULL REFERENCES units(id),
  channel text NOT NULL,
  filed_by integer REFERENCES users(id),
  accepted_by integer REFERENCES users(id),
  source_ip text,
  applicant_name text NOT NULL,
  applicant_phone text NOT NULL,
  applicant_org text NOT NULL DEFAULT '',
  note text NOT NULL DEFAULT '',
  status text NOT NULL,
  committed_days integer NOT NULL,
  filed_at timestamptz NOT NULL DEFAULT now(),
  accepted_on date,
  due_on date,
  yellow_on date,
  paused_since date,
  paused_days integer NOT NULL DEFAULT 0,
  stage integer NOT NULL DEFAULT 0,
  result text,
  reason text,
  decided_at timestamptz,
  completed_at timestamptz,
  completed_on date,
  days_used integer,
  light text,
  light_reasons jsonb NOT NULL DEFAULT '[]',
  warned text,
  anomalies jsonb NOT NULL DEFAULT '[]',
  CONSTRAINT service_applications_number_uq UNIQUE (number),
  CONSTRAINT service_applications_channel_ck CHECK (channel IN ('online','window')),
  CONSTRAINT service_applications_status_ck CHECK (status IN ('submitted','not_accepted','in_progress','delivering','completed')),
  CONSTRAINT service_applications_result_ck CHECK (result IS NULL OR result IN ('approved','refused')),
  CONSTRAINT service_applications_light_ck CHECK (light IS NULL OR light IN ('green','yellow','red')),
  CONSTRAINT service_applications_warned_ck CHECK (warned IS NULL OR warned IN ('yellow','red'))
);
-- The monitor: open applications by light and due date.
CREATE INDEX service_applications_open_idx ON service_applications(light, due_on, id) WHERE status IN ('submitted','in_progress','delivering');
CREATE INDEX service_applications_open_due_idx ON service_applications(due_on, id) WHERE status IN ('submitted','in_progress','delivering');
-- The monitor's light counts (index-only over the open ones).
CREATE INDEX service_applications_open_light_idx ON service_applications(light, paused_since) WHERE status IN ('submitted','in_progress','delivering');
CREATE INDEX service_applications_dept_idx ON service_applications(department_id, filed_at);
CREATE INDEX service_applications_filed_by_idx ON service_applications(filed_by, id);
CREATE INDEX service_applications_completed_idx ON service_applications(completed_on);
CREATE INDEX service_applications_ip_idx ON service_applications(source_ip, filed_at) WHERE source_ip IS NOT NULL;

CREATE TABLE service_steps (
  id bigserial PRIMARY KEY,
  application_id bigint NOT NULL REFERENCES service_applications(id),
  seq integer NOT NULL,
  phase text NOT NULL,
  name text NOT NULL,
  department_id integer NOT NULL REFERENCES units(id),
  days integer NOT NULL,
  status text NOT NULL,
  decision text,
  reason text,
  started_at timestamptz,
  signed_at timestamptz,
  ended_at timestamptz,
  started_on date,
  due_on date,
  yellow_on date,
  paused_since date,
  paused_days integer NOT NULL DEFAULT 0,
  official_id integer REFERENCES users(id),
  official_name text,
  light text,
  CONSTRAINT service_steps_phase_ck CHECK (phase IN ('accept','review','decide','deliver')),
  CONSTRAINT service_steps_status_ck CHECK (status IN ('waiting','pending','signed','correction','done','cancelled')),
  CONSTRAINT service_steps_decision_ck CHECK (decision IS NULL OR decision IN ('approve','refuse')),
  CONSTRAINT service_steps_light_ck CHECK (light IS NULL OR light IN ('green','yellow','red'))
);
CREATE INDEX service_steps_application_idx ON service_steps(application_id, seq);
-- A department's inbox: its open steps.
CREATE INDEX service_steps_inbox_idx ON service_steps(department_id, status, id) WHERE status IN ('pending','signed','correction');

CREATE TABLE service_corrections (
  id bigserial PRIMARY KEY,
  application_id bigint NOT NULL REFERENCES service_applications(id),
  step_id bigint REFERENCES service_steps(id),
  department_id integer NOT NULL REFERENCES units(id),
  materials text NOT NULL,
  requested_by integer REFERENCES users(id),
  requested_at timestamptz NOT NULL DEFAULT now(),
  requested_on date NOT NULL,
  resolved_at timestamptz,
  paused_days integer
);
CREATE INDEX service_corrections_application_idx ON service_corrections(application_id);

CREATE TABLE service_files (
  id bigserial PRIMARY KEY,
  application_id bigint NOT NULL REFERENCES service_applications(id),
  correction_id bigint REFERENCES service_corrections(id),
  sha256 text NOT NULL,
  name text NOT NULL,
  mime text NOT NULL,
  size integer NOT NULL,
  uploaded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX service_files_application_idx ON service_files(application_id);

-- The internal timeline (notes stay internal; public tracking shows the steps only).
CREATE TABLE service_events (
  id bigserial PRIMARY KEY,
  application_id bigint NOT NULL REFERENCES service_applications(id),
  step_id bigint REFERENCES service_steps(id),
  kind text NOT NULL,
  actor_id integer REFERENCES users(id),
  actor_name text NOT NULL,
  note text NOT NULL DEFAULT '',
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX service_events_application_idx ON service_events(application_id, id);

-- Electronic supervision's signals (预警 / 黄牌 / 红牌), one per application (or step) and level.
CREATE TABLE service_warnings (
  id bigserial PRIMARY KEY,
  application_id bigint NOT NULL REFERENCES service_applications(id),
  step_id bigint REFERENCES service_steps(id),
  level text NOT NULL,
  department_id integer NOT NULL REFERENCES units(id),
  at timestamptz NOT NULL DEFAULT now(),
  notified integer NOT NULL DEFAULT 0,
  notice_ref text,
  CONSTRAINT service_warnings_level_ck CHECK (level IN ('yellow','red'))
);
CREATE INDEX service_warnings_application_idx ON service_warnings(application_id);
CREATE INDEX service_warnings_dept_idx ON service_warnings(department_id, at);

CREATE TABLE service_complaints (
  id bigserial PRIMARY KEY,
  application_id bigint NOT NULL REFERENCES service_applications(id),
  department_id integer NOT NULL REFERENCES units(id),
  channel text NOT NULL,
  kind text NOT NULL,
  content text NOT NULL,
  filed_at timestamptz NOT NULL DEFAULT now(),
  decide_by date NOT NULL,
  status text NOT NULL DEFAULT 'pending',
  decision_note text,
  decided_by integer REFERENCES users(id),
  decided_at timestamptz,
  CONSTRAINT service_complaints_channel_ck CHECK (channel IN ('public','hotline')),
  CONSTRAINT service_complaints_kind_ck CHECK (kind IN ('delay','refused_complete','attitude','other')),
  CONSTRAINT service_complaints_status_ck CHECK (status IN ('pending','accepted','declined','resolved'))
);
CREATE INDEX service_complaints_status_idx ON service_complaints(status, decide_by);
CREATE INDEX service_complaints_application_idx ON service_complaints(application_id);

CREATE TABLE service_track_failures (
  id bigserial PRIMARY KEY,
  number text NOT NULL,
  ip text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX service_track_failures_idx ON service_track_failures(ip, at);

-- Figures per department and month (filed / completed month), kept in the writes' transactions.
CREATE TABLE service_stats (
  department_id integer NOT NULL REFERENCES units(id),
  month text NOT NULL,
  applications integer NOT NULL DEFAULT 0,
  completed integer NOT NULL DEFAULT 0,
  early integer NOT NULL DEFAULT 0,
  on_time integer NOT NULL DEFAULT 0,
  overdue integer NOT NULL DEFAULT 0,
  refused integer NOT NULL DEFAULT 0,
  days_used integer NOT NULL DEFAULT 0,
  days_committed integer NOT NULL DEFAULT 0,
  corrections integer NOT NULL DEFAULT 0,
  complaints integer NOT NULL DEFAULT 0,
  CONSTRAINT service_stats_pk PRIMARY KEY (department_id, month)
);

-- The new data source `approvals` and the warning SMS: added to the existing lists whatever else they hold.
DO $$
DECLARE def text;
BEGIN
  SELECT pg_get_constraintdef(oid) INTO def FROM pg_constraint WHERE conname = 'indicators_data_source_ck';
  ALTER TABLE indicators DROP CONSTRAINT indicators_data_source_ck;
  EXECUTE 'ALTER TABLE indicators ADD CONSTRAINT indicators_data_source_ck ' || replace(def, 'ARRAY[', 'ARRAY[''approvals''::text, ');
  SELECT pg_get_constraintdef(oid) INTO def FROM pg_constraint WHERE conname = 'score_inputs_source_ck';
  ALTER TABLE score_inputs DROP CONSTRAINT score_inputs_source_ck;
  EXECUTE 'ALTER TABLE score_inputs ADD CONSTRAINT score_inputs_source_ck ' || replace(def, 'ARRAY[', 'ARRAY[''approvals''::text, ');
  SELECT pg_get_constraintdef(oid) INTO def FROM pg_constraint WHERE conname = 'sms_outbox_template_ck';
  ALTER TABLE sms_outbox DROP CONSTRAINT sms_outbox_template_ck;
  EXECUTE 'ALTER TABLE sms_outbox ADD CONSTRAINT sms_outbox_template_ck ' || replace(def, 'ARRAY[', 'ARRAY[''services_warning''::text, ');
END $$;
