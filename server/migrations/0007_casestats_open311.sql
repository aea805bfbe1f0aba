-- Case statistics per department and month (kept incrementally from case events) and the Open311
-- GeoReport v2 interface (API keys of client systems, and what an Open311 client sent with a request).

-- One row per department and Beijing month. Every case event adds its deltas here in its own
-- transaction (an upsert, no scans). `rev` grows with every change; the score-input sync writes the
-- month's inputs and sets `synced_rev` to the rev it read, so a row changed meanwhile is picked up again.
CREATE TABLE case_stats_monthly (
  unit_id integer NOT NULL,
  month text NOT NULL,                        -- 'YYYY-MM', Beijing time of the event
  dispatched integer NOT NULL DEFAULT 0,      -- work orders received as lead department (派单)
  assist_dispatched integer NOT NULL DEFAULT 0, -- work orders received as assisting department (协办)
  signed_on_time integer NOT NULL DEFAULT 0,
  signed_late integer NOT NULL DEFAULT 0,
  completed_on_time integer NOT NULL DEFAULT 0, -- results reported before the deadline (办结上报)
  completed_late integer NOT NULL DEFAULT 0,
  closed integer NOT NULL DEFAULT 0,          -- cases closed while the unit was the lead
  extensions integer NOT NULL DEFAULT 0,      -- approved extensions (延期)
  returns integer NOT NULL DEFAULT 0,         -- returned work orders (退单)
  redos integer NOT NULL DEFAULT 0,           -- sent back for redo after professional review (重办)
  satisfied integer NOT NULL DEFAULT 0,
  basic integer NOT NULL DEFAULT 0,           -- basically satisfied (基本满意)
  unsatisfied integer NOT NULL DEFAULT 0,
  review_qualified integer NOT NULL DEFAULT 0, -- unsatisfied, but professional review found the handling qualified
  verify_failed integer NOT NULL DEFAULT 0,   -- results refused at verification (核查不通过)
  escalated integer NOT NULL DEFAULT 0,       -- escalations approved (督办)
  reminded integer NOT NULL DEFAULT 0,        -- reminders (催办)
  rev bigint NOT NULL DEFAULT 1,
  synced_rev bigint NOT NULL DEFAULT 0,
  changed_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT case_stats_monthly_pk PRIMARY KEY (unit_id, month),
  CONSTRAINT case_stats_monthly_month_ck CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  CONSTRAINT case_stats_monthly_unit_fk FOREIGN KEY (unit_id) REFERENCES units(id) ON DELETE RESTRICT
);
CREATE INDEX case_stats_monthly_month_idx ON case_stats_monthly(month);
CREATE INDEX case_stats_monthly_unsynced_idx ON case_stats_monthly(month) WHERE rev <> synced_rev;

-- Cases received and closed per case category and month (the category breakdown of the statistics page).
CREATE TABLE case_stats_category_monthly (
  category_id integer NOT NULL,
  month text NOT NULL,
  created integer NOT NULL DEFAULT 0,
  closed integer NOT NULL DEFAULT 0,
  CONSTRAINT case_stats_category_monthly_pk PRIMARY KEY (month, category_id),
  CONSTRAINT case_stats_category_monthly_month_ck CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  CONSTRAINT case_stats_category_monthly_category_fk FOREIGN KEY (category_id) REFERENCES case_categories(id) ON DELETE CASCADE
);

-- Settings of the statistics: 'formulas' (rate formulas over the counters), 'sync' (what the last sync saw).
CREATE TABLE case_stats_settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by integer,
  CONSTRAINT case_stats_settings_user_fk FOREIGN KEY (updated_by) REFERENCES users(id) ON DELETE SET NULL
);

-- API keys of Open311 client systems. Only a SHA-256 of the key is kept; the key is shown once.
CREATE TABLE open311_api_keys (
  id serial PRIMARY KEY,
  name text NOT NULL,
  key_hash text NOT NULL,
  key_hint text NOT NULL,                     -- first characters of the key, to recognise it in the list
  channel text NOT NULL DEFAULT 'open311',    -- the channel of the cases it files: open311, or city_transfer for the city platform
  active boolean NOT NULL DEFAULT true,
  note text NOT NULL DEFAULT '',
  created_by integer,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  request_count integer NOT NULL DEFAULT 0,
  CONSTRAINT open311_api_keys_hash_uq UNIQUE (key_hash),
  CONSTRAINT open311_api_keys_channel_ck CHECK (channel IN ('open311','city_transfer')),
  CONSTRAINT open311_api_keys_name_ck CHECK (length(btrim(name)) > 0),
  CONSTRAINT open311_api_keys_created_by_fk FOREIGN KEY (created_by) REFERENCES users(id) ON DELETE SET NULL
);

-- What an Open311 client sent with a request beyond the case itself (never returned to clients
-- except media_url and address_id, which belong to the request, not to the person).
CREATE TABLE open311_requests (
  case_id integer PRIMARY KEY,
  api_key_id integer NOT NULL,
  email text NOT NULL DEFAULT '',
  device_id text NOT NULL DEFAULT '',
  account_id text NOT NULL DEFAULT '',
  address_id text NOT NULL DEFAULT '',
  media_url text NOT NULL DEFAULT '',
  attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT open311_requests_case_fk FOREIGN KEY (case_id) REFERENCES cases(id) ON DELETE CASCADE,
  CONSTRAINT open311_requests_key_fk FOREIGN KEY (api_key_id) REFERENCES open311_api_keys(id) ON DELETE RESTRICT
);
CREATE INDEX open311_requests_key_idx ON open311_requests(api_key_id);
