-- One job runner (platform/jobs): one row per job, shared by every instance. An instance runs a job only
-- while it holds the job's lease (lease_owner, lease_until), taken with one atomic UPDATE that succeeds
-- only when no lease is held or the last one lapsed, and renewed by a heartbeat while the job runs. The row
-- also keeps what the admin's jobs page shows: the last run, its duration, result or error, progress, the
-- next run. run_requested_at asks any instance to run the job now (the page's 立即运行).
CREATE TABLE jobs (
  name text PRIMARY KEY,
  title_zh text NOT NULL DEFAULT '',
  title_en text NOT NULL DEFAULT '',
  every_ms integer,
  lease_owner text,
  lease_until timestamptz,
  heartbeat_at timestamptz,
  next_run_at timestamptz,
  run_requested_at timestamptz,
  last_started_at timestamptz,
  last_finished_at timestamptz,
  last_duration_ms integer,
  last_status text,
  last_result jsonb,
  last_error text,
  last_error_at timestamptz,
  run_count integer NOT NULL DEFAULT 0,
  failure_count integer NOT NULL DEFAULT 0,
  progress double precision,
  progress_message text,
  seen_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT jobs_last_status_ck CHECK (last_status IN ('ok', 'failed', 'aborted')),
  CONSTRAINT jobs_progress_ck CHECK (progress >= 0 AND progress <= 1)
);

-- SMS exactly once: a message whose send outcome is unknown (no answer in time, connection lost after
-- sending) is marked 'unknown' and waits for the admin instead of being sent again.
ALTER TABLE sms_outbox DROP CONSTRAINT sms_outbox_status_ck;
ALTER TABLE sms_outbox ADD CONSTRAINT sms_outbox_status_ck CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'unknown'));
