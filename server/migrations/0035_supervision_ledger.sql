-- Supervision ledger (issue 13, 年初建账 / 催办): the reminders of red tasks are timeline events of kind
-- 'remind' (written by the lights job for the lead unit); the unit's and the leader's 催办 list reads the
-- recent ones. A partial index keeps that read off the whole timeline (12 reports a task and more).
CREATE INDEX supervision_events_remind_idx ON supervision_events (at) WHERE kind = 'remind';
