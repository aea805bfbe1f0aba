-- Supervision (督查督办): the ledger of supervision tasks, with co-units, milestones, a timeline of every
-- state change and progress report, evidence files and leaders' instructions (批示) that become tasks.
CREATE TABLE supervision_instructions (
  id serial PRIMARY KEY,
  author_id integer NOT NULL REFERENCES users(id),
  target_kind text NOT NULL,
  target_ref text,
  unit_id integer REFERENCES units(id),
  content text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT supervision_instructions_kind_ck CHECK (target_kind IN ('case', 'indicator', 'free'))
);

CREATE TABLE supervision_tasks (
  id serial PRIMARY KEY,
  year integer NOT NULL,
  source text NOT NULL,
  title text NOT NULL,
  content text NOT NULL DEFAULT '',
  standard text NOT NULL DEFAULT '',
  leader_id integer REFERENCES users(id),
  lead_unit_id integer REFERENCES units(id),
  lead_contact text NOT NULL DEFAULT '',
  parent_id integer REFERENCES supervision_tasks(id),
  instruction_id integer REFERENCES supervision_instructions(id),
  merged_into_id integer REFERENCES supervision_tasks(id),
  start_date date NOT NULL,
  deadline date NOT NULL,
  cadence text NOT NULL DEFAULT 'monthly',
  priority text NOT NULL DEFAULT 'normal',
  status text NOT NULL,
  progress integer NOT NULL DEFAULT 0,
  last_report_on date,
  applied_on date,
  completion text,
  quality text,
  reviewed_at timestamptz,
  plan text NOT NULL DEFAULT '',
  plan_approved_on date,
  light text,
  light_reasons jsonb NOT NULL DEFAULT '[]',
  light_on date,
  reminded_on date,
  created_by integer REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT supervision_tasks_source_ck CHECK (source IN ('work_report','executive_meeting','instruction','higher_level','npc_proposal','cppcc_proposal','investment','annual_target','lagging_indicator')),
  CONSTRAINT supervision_tasks_cadence_ck CHECK (cadence IN ('daily','weekly','monthly')),
  CONSTRAINT supervision_tasks_priority_ck CHECK (priority IN ('normal','high','urgent')),
  CONSTRAINT supervision_tasks_status_ck CHECK (status IN ('proposed','declined','merged','assigned','signed','plan_submitted','in_progress','completion_applied','completed')),
  CONSTRAINT supervision_tasks_progress_ck CHECK (progress BETWEEN 0 AND 100),
  CONSTRAINT supervision_tasks_completion_ck CHECK (completion IS NULL OR completion IN ('on_time','overdue','not_done')),
  CONSTRAINT supervision_tasks_quality_ck CHECK (quality IS NULL OR quality IN ('excellent','good','fair','poor')),
  CONSTRAINT supervision_tasks_lead_ck CHECK (status IN ('proposed','declined','merged') OR lead_unit_id IS NOT NULL)
);
CREATE INDEX supervision_tasks_year_idx ON supervision_tasks(year, status);
CREATE INDEX supervision_tasks_lead_idx ON supervision_tasks(lead_unit_id, year);
CREATE INDEX supervision_tasks_leader_idx ON supervision_tasks(leader_id);
CREATE INDEX supervision_tasks_light_idx ON supervision_tasks(year, light);

CREATE TABLE supervision_co_units (
  task_id integer NOT NULL REFERENCES supervision_tasks(id) ON DELETE CASCADE,
  unit_id integer NOT NULL REFERENCES units(id),
  contact text NOT NULL DEFAULT '',
  CONSTRAINT supervision_co_units_pk PRIMARY KEY (task_id, unit_id)
);
CREATE INDEX supervision_co_units_unit_idx ON supervision_co_units(unit_id);

CREATE TABLE supervision_milestones (
  id serial PRIMARY KEY,
  task_id integer NOT NULL REFERENCES supervision_tasks(id) ON DELETE CASCADE,
  title text NOT NULL,
  due_on date NOT NULL,
  done_on date
);
CREATE INDEX supervision_milestones_task_idx ON supervision_milestones(task_id);

CREATE TABLE supervision_files (
  id serial PRIMARY KEY,
  task_id integer NOT NULL REFERENCES supervision_tasks(id),
  sha256 text NOT NULL,
  name text NOT NULL,
  mime text NOT NULL,
  size integer NOT NULL,
  uploaded_by integer REFERENCES users(id),
  uploaded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX supervision_files_task_idx ON supervision_files(task_id);

-- The timeline: every state change and every progress report, never updated.
CREATE TABLE supervision_events (
  id serial PRIMARY KEY,
  task_id integer NOT NULL REFERENCES supervision_tasks(id),
  kind text NOT NULL,
  from_status text,
  to_status text,
  actor_id integer REFERENCES users(id),
  actor_name text NOT NULL,
  unit_id integer REFERENCES units(id),
  note text NOT NULL DEFAULT '',
  progress integer,
  file_ids jsonb NOT NULL DEFAULT '[]',
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX supervision_events_task_idx ON supervision_events(task_id, id);

-- Reminders (催办) of red supervision tasks go to the lead unit's contacts by SMS.
ALTER TABLE sms_outbox DROP CONSTRAINT sms_outbox_template_ck;
ALTER TABLE sms_outbox ADD CONSTRAINT sms_outbox_template_ck CHECK (template IN ('acceptance','completion','feedback_request','reporting_reminder','supervision_reminder'));
