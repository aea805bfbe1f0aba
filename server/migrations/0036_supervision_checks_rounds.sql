-- Supervision field checks (实地督查; hard tasks checked again: 反复督查) with the rectification points
-- (整改要求) the lead unit answers, and reconciliation rounds (季度对账 / 年中查账 / 年底收账) in which each
-- unit confirms the snapshotted state of its live tasks or states a difference the office resolves.
CREATE TABLE supervision_checks (
  id serial PRIMARY KEY,
  task_id integer NOT NULL REFERENCES supervision_tasks(id),
  seq integer NOT NULL,
  checked_on date NOT NULL,
  people text NOT NULL,
  methods jsonb NOT NULL DEFAULT '[]',
  mode text NOT NULL,
  findings text NOT NULL,
  photo_ids jsonb NOT NULL DEFAULT '[]',
  created_by integer REFERENCES users(id),
  created_by_name text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT supervision_checks_seq_uq UNIQUE (task_id, seq),
  CONSTRAINT supervision_checks_seq_ck CHECK (seq >= 1),
  CONSTRAINT supervision_checks_mode_ck CHECK (mode IN ('open', 'covert'))
);
CREATE INDEX supervision_checks_on_idx ON supervision_checks(checked_on);

CREATE TABLE supervision_check_points (
  id serial PRIMARY KEY,
  check_id integer NOT NULL REFERENCES supervision_checks(id),
  task_id integer NOT NULL REFERENCES supervision_tasks(id),
  seq integer NOT NULL,
  requirement text NOT NULL,
  due_on date,
  status text NOT NULL DEFAULT 'open',
  answer text NOT NULL DEFAULT '',
  answer_file_id integer REFERENCES supervision_files(id),
  answered_at timestamptz,
  return_reason text NOT NULL DEFAULT '',
  decided_at timestamptz,
  CONSTRAINT supervision_check_points_seq_uq UNIQUE (check_id, seq),
  CONSTRAINT supervision_check_points_status_ck CHECK (status IN ('open', 'answered', 'accepted', 'returned'))
);
CREATE INDEX supervision_check_points_task_idx ON supervision_check_points(task_id, status);
CREATE INDEX supervision_check_points_status_idx ON supervision_check_points(status);

CREATE TABLE supervision_point_events (
  id serial PRIMARY KEY,
  point_id integer NOT NULL REFERENCES supervision_check_points(id),
  kind text NOT NULL,
  note text NOT NULL DEFAULT '',
  file_id integer REFERENCES supervision_files(id),
  actor_id integer REFERENCES users(id),
  actor_name text NOT NULL,
  unit_id integer REFERENCES units(id),
  at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT supervision_point_events_kind_ck CHECK (kind IN ('answer', 'accept', 'return'))
);
CREATE INDEX supervision_point_events_point_idx ON supervision_point_events(point_id);

CREATE TABLE supervision_rounds (
  id serial PRIMARY KEY,
  year integer NOT NULL,
  kind text NOT NULL,
  title text NOT NULL,
  as_of date NOT NULL,
  status text NOT NULL DEFAULT 'open',
  opened_by integer REFERENCES users(id),
  opened_by_name text NOT NULL DEFAULT '',
  opened_at timestamptz NOT NULL DEFAULT now(),
  closed_by integer REFERENCES users(id),
  closed_by_name text,
  closed_at timestamptz,
  close_note text NOT NULL DEFAULT '',
  record jsonb,
  CONSTRAINT supervision_rounds_kind_ck CHECK (kind IN ('quarterly', 'midyear', 'yearend')),
  CONSTRAINT supervision_rounds_status_ck CHECK (status IN ('open', 'closed'))
);

CREATE TABLE supervision_round_rows (
  id serial PRIMARY KEY,
  round_id integer NOT NULL REFERENCES supervision_rounds(id),
  task_id integer NOT NULL REFERENCES supervision_tasks(id),
  unit_id integer NOT NULL REFERENCES units(id),
  title text NOT NULL,
  snap_status text NOT NULL,
  snap_progress integer NOT NULL,
  snap_light text,
  snap_deadline date NOT NULL,
  state text NOT NULL DEFAULT 'pending',
  claimed_status text,
  claimed_progress integer,
  note text NOT NULL DEFAULT '',
  confirmed_by integer REFERENCES users(id),
  confirmed_by_name text,
  confirmed_at timestamptz,
  resolution text,
  resolution_reason text NOT NULL DEFAULT '',
  progress_applied boolean NOT NULL DEFAULT false,
  resolved_by integer REFERENCES users(id),
  resolved_by_name text,
  resolved_at timestamptz,
  CONSTRAINT supervision_round_rows_task_uq UNIQUE (round_id, task_id),
  CONSTRAINT supervision_round_rows_state_ck CHECK (state IN ('pending', 'confirmed', 'differs')),
  CONSTRAINT supervision_round_rows_claim_ck CHECK (claimed_status IS NULL OR claimed_status IN ('not_started', 'in_progress', 'completed', 'blocked')),
  CONSTRAINT supervision_round_rows_progress_ck CHECK (claimed_progress IS NULL OR claimed_progress BETWEEN 0 AND 100),
  CONSTRAINT supervision_round_rows_resolution_ck CHECK (resolution IS NULL OR resolution IN ('accepted', 'kept'))
);
CREATE INDEX supervision_round_rows_unit_idx ON supervision_round_rows(round_id, unit_id);
CREATE INDEX supervision_round_rows_task_idx ON supervision_round_rows(task_id);
