-- Data collection (数据采集): forms per leaf indicator, reporting settings and deadlines, monthly
-- submissions with their workflow, protected history (revisions), evidence files, reminders and
-- in-app notifications.

-- Per-year settings of data collection; the default deadline day lives on assessment_years.
CREATE TABLE reporting_settings (
  year_id integer PRIMARY KEY,
  deadline_mode text NOT NULL DEFAULT 'day',          -- 'day': day N of the following month; 'working_days': N working days after month end
  deadline_working_days smallint NOT NULL DEFAULT 10,
  reminder_days_before smallint NOT NULL DEFAULT 3,
  jump_threshold_pct numeric(8,2) NOT NULL DEFAULT 50,
  peer_iqr_factor numeric(8,2) NOT NULL DEFAULT 3,
  light_green_margin numeric(8,2) NOT NULL DEFAULT 5,
  light_yellow_margin numeric(8,2) NOT NULL DEFAULT 15,
  updated_by integer,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT reporting_settings_year_fk FOREIGN KEY (year_id) REFERENCES assessment_years(id) ON DELETE CASCADE,
  CONSTRAINT reporting_settings_mode_ck CHECK (deadline_mode IN ('day','working_days')),
  CONSTRAINT reporting_settings_wd_ck CHECK (deadline_working_days BETWEEN 1 AND 40),
  CONSTRAINT reporting_settings_reminder_ck CHECK (reminder_days_before BETWEEN 0 AND 30),
  CONSTRAINT reporting_settings_jump_ck CHECK (jump_threshold_pct > 0),
  CONSTRAINT reporting_settings_iqr_ck CHECK (peer_iqr_factor > 0),
  CONSTRAINT reporting_settings_light_ck CHECK (light_green_margin >= 0 AND light_yellow_margin >= light_green_margin)
);

-- The data-entry form of a leaf (indicators are per year, so forms are versioned with the year).
CREATE TABLE indicator_forms (
  indicator_id integer PRIMARY KEY,
  definition jsonb NOT NULL,
  version integer NOT NULL DEFAULT 1,
  updated_by integer,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT indicator_forms_indicator_fk FOREIGN KEY (indicator_id) REFERENCES indicators(id) ON DELETE CASCADE
);

-- A leaf's own deadline, overriding the year's rule.
CREATE TABLE indicator_deadlines (
  indicator_id integer PRIMARY KEY,
  mode text NOT NULL,
  day smallint,
  working_days smallint,
  CONSTRAINT indicator_deadlines_indicator_fk FOREIGN KEY (indicator_id) REFERENCES indicators(id) ON DELETE CASCADE,
  CONSTRAINT indicator_deadlines_mode_ck CHECK (
    (mode = 'day' AND day BETWEEN 1 AND 28 AND working_days IS NULL) OR
    (mode = 'working_days' AND working_days BETWEEN 1 AND 40 AND day IS NULL))
);

-- One unit's data for one leaf and month. `value` and `fields` are the current values; once the
-- submission is accepted they change only to an approved revision's values (see the trigger).
CREATE TABLE submissions (
  id serial PRIMARY KEY,
  year_id integer NOT NULL,
  indicator_id integer NOT NULL,
  unit_id integer NOT NULL,
  period text NOT NULL,
  source text NOT NULL DEFAULT 'self_report',
  status text NOT NULL DEFAULT 'draft',
  value numeric,
  fields jsonb NOT NULL DEFAULT '{}'::jsonb,
  flags jsonb NOT NULL DEFAULT '[]'::jsonb,
  form_version integer NOT NULL DEFAULT 0,
  revision integer NOT NULL DEFAULT 0,
  entered_by integer,
  entered_by_name text NOT NULL,
  entered_at timestamptz NOT NULL DEFAULT now(),
  first_submitted_at timestamptz,
  deadline date,
  late boolean NOT NULL DEFAULT false,
  submitted_by integer,
  submitted_at timestamptz,
  leader_approved_by integer,
  leader_approved_at timestamptz,
  accepted_by integer,
  accepted_at timestamptz,
  return_reason text,
  returned_stage text,
  returned_by integer,
  returned_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT submissions_key_uq UNIQUE (indicator_id, unit_id, period),
  CONSTRAINT submissions_year_fk FOREIGN KEY (year_id) REFERENCES assessment_years(id) ON DELETE RESTRICT,
  CONSTRAINT submissions_indicator_fk FOREIGN KEY (indicator_id) REFERENCES indicators(id) ON DELETE RESTRICT,
  CONSTRAINT submissions_unit_fk FOREIGN KEY (unit_id) REFERENCES units(id) ON DELETE RESTRICT,
  CONSTRAINT submissions_period_ck CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  CONSTRAINT submissions_source_ck CHECK (source IN ('self_report','third_party')),
  CONSTRAINT submissions_status_ck CHECK (status IN ('draft','submitted','leader_approved','accepted')),
  CONSTRAINT submissions_stage_ck CHECK (returned_stage IS NULL OR returned_stage IN ('leader','office'))
);
CREATE INDEX submissions_period_idx ON submissions(year_id, period, status);
CREATE INDEX submissions_unit_idx ON submissions(unit_id, year_id, period);

-- The history of accepted values: r0 is the value as first accepted; later rows are correction
-- requests (approved ones became current; rejected ones stay for the record).
CREATE TABLE submission_revisions (
  id serial PRIMARY KEY,
  submission_id integer NOT NULL,
  revision integer NOT NULL,
  value numeric,
  fields jsonb NOT NULL,
  flags jsonb NOT NULL DEFAULT '[]'::jsonb,
  reason text,
  status text NOT NULL,
  requested_by integer,
  requested_by_name text NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  decided_by integer,
  decided_by_name text,
  decided_at timestamptz,
  decision_comment text,
  CONSTRAINT submission_revisions_uq UNIQUE (submission_id, revision),
  CONSTRAINT submission_revisions_submission_fk FOREIGN KEY (submission_id) REFERENCES submissions(id) ON DELETE RESTRICT,
  CONSTRAINT submission_revisions_status_ck CHECK (status IN ('requested','approved','rejected')),
  CONSTRAINT submission_revisions_reason_ck CHECK (revision = 0 OR length(btrim(coalesce(reason, ''))) > 0)
);
CREATE UNIQUE INDEX submission_revisions_open_uq ON submission_revisions(submission_id) WHERE status = 'requested';
CREATE INDEX submission_revisions_status_idx ON submission_revisions(status);

-- The workflow timeline of a submission (who did what, when, with which comment).
CREATE TABLE submission_events (
  id bigserial PRIMARY KEY,
  submission_id integer NOT NULL,
  action text NOT NULL,
  from_status text,
  to_status text,
  comment text,
  actor_id integer,
  actor_name text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT submission_events_submission_fk FOREIGN KEY (submission_id) REFERENCES submissions(id) ON DELETE CASCADE
);
CREATE INDEX submission_events_submission_idx ON submission_events(submission_id);

-- Evidence files (台账材料), stored content-addressed under DATA_DIR/uploads/evidence/<sha256>.
CREATE TABLE submission_evidence (
  id serial PRIMARY KEY,
  submission_id integer NOT NULL,
  sha256 text NOT NULL,
  size bigint NOT NULL,
  mime text NOT NULL,
  original_name text NOT NULL,
  uploaded_by integer,
  uploaded_by_name text NOT NULL,
  uploaded_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT submission_evidence_submission_fk FOREIGN KEY (submission_id) REFERENCES submissions(id) ON DELETE RESTRICT,
  CONSTRAINT submission_evidence_sha_ck CHECK (sha256 ~ '^[0-9a-f]{64}$')
);
CREATE INDEX submission_evidence_submission_idx ON submission_evidence(submission_id);

-- Protected history, enforced by the database as well as the code.
CREATE FUNCTION submissions_protect() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status = 'accepted' THEN
      RAISE EXCEPTION 'accepted submission % is protected and cannot be deleted', OLD.id USING ERRCODE = 'P0001';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status = 'accepted' THEN
    IF NEW.status <> 'accepted' OR NEW.year_id <> OLD.year_id OR NEW.indicator_id <> OLD.indicator_id
       OR NEW.unit_id <> OLD.unit_id OR NEW.period <> OLD.period OR NEW.source <> OLD.source THEN
      RAISE EXCEPTION 'accepted submission % is protected', OLD.id USING ERRCODE = 'P0001';
    END IF;
    IF NEW.value IS DISTINCT FROM OLD.value OR NEW.fields IS DISTINCT FROM OLD.fields OR NEW.revision <> OLD.revision THEN
      -- The current value may only move to an approved revision newer than the current one, with exactly its values.
      IF NEW.revision <= OLD.revision OR NOT EXISTS (
        SELECT 1 FROM submission_revisions r
        WHERE r.submission_id = NEW.id AND r.revision = NEW.revision AND r.status = 'approved'
          AND r.value IS NOT DISTINCT FROM NEW.value AND r.fields = NEW.fields) THEN
        RAISE EXCEPTION 'accepted submission % can only change through an approved revision', OLD.id USING ERRCODE = 'P0001';
      END IF;
    END IF;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER submissions_protect_trg BEFORE UPDATE OR DELETE ON submissions
  FOR EACH ROW EXECUTE FUNCTION submissions_protect();

CREATE FUNCTION submission_revisions_protect() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'submission revisions are history and cannot be deleted' USING ERRCODE = 'P0001';
  END IF;
  IF NEW.submission_id <> OLD.submission_id OR NEW.revision <> OLD.revision
     OR NEW.value IS DISTINCT FROM OLD.value OR NEW.fields IS DISTINCT FROM OLD.fields
     OR NEW.reason IS DISTINCT FROM OLD.reason OR NEW.requested_by IS DISTINCT FROM OLD.requested_by
     OR NEW.requested_at IS DISTINCT FROM OLD.requested_at THEN
    RAISE EXCEPTION 'submission revision % is protected', OLD.id USING ERRCODE = 'P0001';
  END IF;
  IF NEW.status IS DISTINCT FROM OLD.status AND NOT (OLD.status = 'requested' AND NEW.status IN ('approved','rejected')) THEN
    RAISE EXCEPTION 'submission revision % was already decided', OLD.id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER submission_revisions_protect_trg BEFORE UPDATE OR DELETE ON submission_revisions
  FOR EACH ROW EXECUTE FUNCTION submission_revisions_protect();

CREATE FUNCTION submission_evidence_protect() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    RAISE EXCEPTION 'evidence records cannot be changed' USING ERRCODE = 'P0001';
  END IF;
  IF EXISTS (SELECT 1 FROM submissions s WHERE s.id = OLD.submission_id AND s.status = 'accepted') THEN
    RAISE EXCEPTION 'evidence of accepted submission % is protected', OLD.submission_id USING ERRCODE = 'P0001';
  END IF;
  RETURN OLD;
END $$;
CREATE TRIGGER submission_evidence_protect_trg BEFORE UPDATE OR DELETE ON submission_evidence
  FOR EACH ROW EXECUTE FUNCTION submission_evidence_protect();

-- Reminders sent, one per unit, leaf, period and kind, so the reminder job is idempotent.
CREATE TABLE reporting_reminders (
  unit_id integer NOT NULL,
  indicator_id integer NOT NULL,
  period text NOT NULL,
  kind text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT reporting_reminders_pk PRIMARY KEY (unit_id, indicator_id, period, kind),
  CONSTRAINT reporting_reminders_kind_ck CHECK (kind IN ('before','due'))
);

-- In-app notifications for a user.
CREATE TABLE notifications (
  id bigserial PRIMARY KEY,
  user_id integer NOT NULL,
  title text NOT NULL,
  body text NOT NULL DEFAULT '',
  link text,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz,
  CONSTRAINT notifications_user_fk FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
);
CREATE INDEX notifications_user_idx ON notifications(user_id, created_at DESC);

-- Messages waiting for a later SMS / e-mail sender.
CREATE TABLE notification_outbox (
  id bigserial PRIMARY KEY,
  channel text NOT NULL,
  recipient text NOT NULL,
  body text NOT NULL,
  status text NOT NULL DEFAULT 'pending',
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  CONSTRAINT notification_outbox_channel_ck CHECK (channel IN ('sms','email')),
  CONSTRAINT notification_outbox_status_ck CHECK (status IN ('pending','sent','failed'))
);
CREATE INDEX notification_outbox_pending_idx ON notification_outbox(status, created_at);
