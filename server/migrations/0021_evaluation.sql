-- Evaluation (多元评价): questionnaires (versioned), campaigns with their target units, evaluator panel,
-- sampling frame and invitations, responses with their scored answers, and the per-unit results that
-- closing a campaign computes (and that feed the score inputs of the mapped leaves).
CREATE TABLE evaluation_questionnaires (
  id serial PRIMARY KEY,
  family_id integer,
  version integer NOT NULL DEFAULT 1,
  title text NOT NULL,
  intro text NOT NULL DEFAULT '',
  questions jsonb NOT NULL DEFAULT '[]',
  created_by integer REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT evaluation_questionnaires_version_uq UNIQUE (family_id, version)
);

CREATE TABLE evaluation_campaigns (
  id serial PRIMARY KEY,
  year integer NOT NULL,
  kind text NOT NULL,
  title text NOT NULL,
  status text NOT NULL DEFAULT 'draft',
  questionnaire_id integer NOT NULL REFERENCES evaluation_questionnaires(id),
  target_unit_ids jsonb NOT NULL DEFAULT '[]',
  period_from date NOT NULL,
  period_to date NOT NULL,
  anonymous boolean NOT NULL DEFAULT true,
  mapping jsonb NOT NULL DEFAULT '{}',
  quality jsonb NOT NULL DEFAULT '{}',
  sampling jsonb,
  salt text NOT NULL,
  created_by integer REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  opened_at timestamptz,
  closed_at timestamptz,
  published_at timestamptz,
  CONSTRAINT evaluation_campaigns_kind_ck CHECK (kind IN ('public_survey','enterprise_survey','deputies','special_supervisors','leaders','mutual','service_recipients','expert_review')),
  CONSTRAINT evaluation_campaigns_status_ck CHECK (status IN ('draft','open','closed','published')),
  CONSTRAINT evaluation_campaigns_period_ck CHECK (period_from <= period_to)
);
CREATE INDEX evaluation_campaigns_year_idx ON evaluation_campaigns(year, status);

CREATE TABLE evaluation_panel (
  campaign_id integer NOT NULL REFERENCES evaluation_campaigns(id) ON DELETE CASCADE,
  user_id integer NOT NULL REFERENCES users(id),
  CONSTRAINT evaluation_panel_pk PRIMARY KEY (campaign_id, user_id)
);
CREATE INDEX evaluation_panel_user_idx ON evaluation_panel(user_id);

-- The sampling frame: everyone who may be drawn (citizens of closed cases, or imported from Excel).
CREATE TABLE evaluation_frame (
  id bigserial PRIMARY KEY,
  campaign_id integer NOT NULL REFERENCES evaluation_campaigns(id) ON DELETE CASCADE,
  unit_id integer NOT NULL REFERENCES units(id),
  name text NOT NULL DEFAULT '',
  phone text NOT NULL,
  case_id integer,
  source text NOT NULL,
  CONSTRAINT evaluation_frame_source_ck CHECK (source IN ('cases','import'))
);
CREATE INDEX evaluation_frame_campaign_idx ON evaluation_frame(campaign_id, unit_id);

-- One respondent's one-time right to answer. For an anonymous campaign no response points back here,
-- and the invitation keeps only the day it was used. Its link carries the id and an HMAC of it under the
-- campaign's salt, so no token is stored.
CREATE TABLE evaluation_invitations (
  id bigserial PRIMARY KEY,
  campaign_id integer NOT NULL REFERENCES evaluation_campaigns(id) ON DELETE CASCADE,
  channel text NOT NULL,
  unit_id integer REFERENCES units(id),
  user_id integer REFERENCES users(id),
  phone text,
  name text NOT NULL DEFAULT '',
  case_id integer,
  sent_at timestamptz,
  opened_at timestamptz,
  reminded_at timestamptz,
  reminders integer NOT NULL DEFAULT 0,
  responded_on date,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT evaluation_invitations_channel_ck CHECK (channel IN ('sms','app','qr'))
);
CREATE INDEX evaluation_invitations_campaign_idx ON evaluation_invitations(campaign_id, unit_id, responded_on);
CREATE INDEX evaluation_invitations_user_idx ON evaluation_invitations(user_id) WHERE user_id IS NOT NULL;

CREATE TABLE evaluation_responses (
  id bigserial PRIMARY KEY,
  campaign_id integer NOT NULL REFERENCES evaluation_campaigns(id) ON DELETE CASCADE,
  invitation_id bigint REFERENCES evaluation_invitations(id),
  respondent_id integer REFERENCES users(id),
  unit_id integer REFERENCES units(id),
  answers jsonb NOT NULL,
  submitted_on date NOT NULL,
  duration_s integer,
  ip_hash text,
  device_hash text,
  flags text[] NOT NULL DEFAULT '{}',
  excluded boolean NOT NULL DEFAULT false,
  exclude_reason text,
  excluded_by integer REFERENCES users(id),
  excluded_at timestamptz
);
CREATE UNIQUE INDEX evaluation_responses_invitation_uq ON evaluation_responses(invitation_id) WHERE invitation_id IS NOT NULL;
CREATE INDEX evaluation_responses_campaign_idx ON evaluation_responses(campaign_id, unit_id);
CREATE INDEX evaluation_responses_ip_idx ON evaluation_responses(campaign_id, ip_hash);
CREATE INDEX evaluation_responses_device_idx ON evaluation_responses(campaign_id, device_hash) WHERE device_hash IS NOT NULL;

-- The scored answers (one per scale answer about a unit): what aggregation reads.
CREATE TABLE evaluation_scores (
  response_id bigint NOT NULL REFERENCES evaluation_responses(id) ON DELETE CASCADE,
  campaign_id integer NOT NULL,
  unit_id integer NOT NULL,
  question_key text NOT NULL,
  score real NOT NULL,
  level smallint
);
CREATE INDEX evaluation_scores_campaign_idx ON evaluation_scores(campaign_id, unit_id);
CREATE INDEX evaluation_scores_response_idx ON evaluation_scores(response_id);

CREATE TABLE evaluation_results (
  campaign_id integer NOT NULL REFERENCES evaluation_campaigns(id) ON DELETE CASCADE,
  unit_id integer NOT NULL REFERENCES units(id),
  invited integer NOT NULL,
  responses integer NOT NULL,
  valid integer NOT NULL,
  response_rate real,
  mean real,
  satisfaction_rate real,
  distribution jsonb NOT NULL DEFAULT '[]',
  mapped real,
  explanation text NOT NULL DEFAULT '',
  CONSTRAINT evaluation_results_pk PRIMARY KEY (campaign_id, unit_id)
);

ALTER TABLE sms_outbox DROP CONSTRAINT sms_outbox_template_ck;
ALTER TABLE sms_outbox ADD CONSTRAINT sms_outbox_template_ck CHECK (template IN ('acceptance','completion','feedback_request','reporting_reminder','supervision_reminder','evaluation_invitation','evaluation_reminder'));
