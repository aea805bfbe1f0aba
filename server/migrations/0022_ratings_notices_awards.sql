-- 好差评 (service ratings) with 差评 rectifications, reviewer profiles for professional review,
-- accountability notices (整改建议书 / 监察建议书 / 监察决定书) and the year-end award rounds.
CREATE TABLE service_ratings (
  id serial PRIMARY KEY,
  subject_kind text NOT NULL,
  subject_id integer NOT NULL,
  subject_ref text NOT NULL DEFAULT '',
  subject_title text NOT NULL DEFAULT '',
  unit_id integer NOT NULL REFERENCES units(id),
  round integer NOT NULL DEFAULT 1,
  phone text NOT NULL,
  token_hash text NOT NULL,
  status text NOT NULL DEFAULT 'invited',
  invited_at timestamptz NOT NULL DEFAULT now(),
  reminded_at timestamptz,
  rated_at timestamptz,
  level text,
  aspects jsonb NOT NULL DEFAULT '{}',
  comment text NOT NULL DEFAULT '',
  CONSTRAINT service_ratings_kind_ck CHECK (subject_kind IN ('case','application')),
  CONSTRAINT service_ratings_status_ck CHECK (status IN ('invited','rated')),
  CONSTRAINT service_ratings_level_ck CHECK (level IS NULL OR level IN ('very_satisfied','satisfied','basic','unsatisfied','very_unsatisfied')),
  CONSTRAINT service_ratings_rated_ck CHECK ((status = 'rated') = (level IS NOT NULL))
);
CREATE UNIQUE INDEX service_ratings_subject_uq ON service_ratings(subject_kind, subject_id, round);
CREATE UNIQUE INDEX service_ratings_token_uq ON service_ratings(token_hash);
CREATE INDEX service_ratings_unit_idx ON service_ratings(unit_id, rated_at);
CREATE INDEX service_ratings_due_idx ON service_ratings(invited_at) WHERE status = 'invited' AND reminded_at IS NULL;

CREATE TABLE rating_rectifications (
  id serial PRIMARY KEY,
  rating_id integer NOT NULL UNIQUE REFERENCES service_ratings(id),
  unit_id integer NOT NULL REFERENCES units(id),
  status text NOT NULL DEFAULT 'open',
  due_date date NOT NULL,
  called_back_at timestamptz,
  callback_note text NOT NULL DEFAULT '',
  result text NOT NULL DEFAULT '',
  submitted_at timestamptz,
  reviewed_at timestamptz,
  reviewed_by integer REFERENCES users(id),
  review_note text NOT NULL DEFAULT '',
  returns integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT rating_rectifications_status_ck CHECK (status IN ('open','called_back','submitted','accepted','returned'))
);
CREATE INDEX rating_rectifications_unit_idx ON rating_rectifications(unit_id, status);

CREATE TABLE reviewer_profiles (
  user_id integer PRIMARY KEY REFERENCES users(id),
  kind text NOT NULL,
  title text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT reviewer_profiles_kind_ck CHECK (kind IN ('npc_deputy','cppcc_member','style_reviewer'))
);

CREATE TABLE notices (
  id serial PRIMARY KEY,
  kind text NOT NULL,
  year integer NOT NULL,
  seq integer NOT NULL,
  number text NOT NULL UNIQUE,
  unit_id integer NOT NULL REFERENCES units(id),
  title text NOT NULL,
  findings text NOT NULL,
  actions text NOT NULL,
  deadline date NOT NULL,
  issuer_name text NOT NULL,
  issued_by integer REFERENCES users(id),
  issued_at timestamptz NOT NULL DEFAULT now(),
  source_kind text,
  source_id integer,
  deduction_id integer REFERENCES accountability_deductions(id),
  status text NOT NULL DEFAULT 'issued',
  reply_measures text NOT NULL DEFAULT '',
  reply_evidence text NOT NULL DEFAULT '',
  replied_at timestamptz,
  replied_by integer REFERENCES users(id),
  reviewed_at timestamptz,
  reviewed_by integer REFERENCES users(id),
  review_note text NOT NULL DEFAULT '',
  returns integer NOT NULL DEFAULT 0,
  CONSTRAINT notices_kind_ck CHECK (kind IN ('rectification_advice','supervision_advice','supervision_decision')),
  CONSTRAINT notices_status_ck CHECK (status IN ('issued','replied','accepted','returned'))
);
CREATE UNIQUE INDEX notices_seq_uq ON notices(kind, year, seq);
CREATE INDEX notices_unit_idx ON notices(unit_id, status);
CREATE INDEX notices_deadline_idx ON notices(deadline) WHERE status IN ('issued','returned');

-- The rating invitation and its reminder go through the one SMS outbox.
ALTER TABLE sms_outbox DROP CONSTRAINT sms_outbox_template_ck;
ALTER TABLE sms_outbox ADD CONSTRAINT sms_outbox_template_ck CHECK (template IN ('acceptance','completion','feedback_request','reporting_reminder','supervision_reminder','rating_invite','rating_reminder','evaluation_invitation','evaluation_reminder'));
