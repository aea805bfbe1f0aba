-- Open311 for real clients and public data that leaks nothing (issue 16).

-- Publication rule of a case category on the public interface (Open311 GET requests/updates):
-- 'public' (as filed, personal data masked), 'limited' (no text, no address, coordinates rounded
-- to ~100 m) or 'private' (never listed). The strictest rule along the category's chain applies.
ALTER TABLE case_categories ADD COLUMN publication text NOT NULL DEFAULT 'public';
ALTER TABLE case_categories ADD CONSTRAINT case_categories_publication_ck CHECK (publication IN ('public','limited','private'));

-- An agent marks a case confidential (保密): it is then never public, whatever its category.
ALTER TABLE cases ADD COLUMN confidential boolean NOT NULL DEFAULT false;

-- Demo categories whose cases identify people or businesses (existing demo databases; a new one
-- gets them from the seed, which runs after the migrations).
UPDATE case_categories SET publication = 'limited' WHERE code IN ('LDBZ', 'SQSW01', 'QYFW');
UPDATE case_categories SET publication = 'private' WHERE code IN ('QYFW02', 'SQSW03');

-- Per-key limit on POSTs (requests and updates) per hour.
ALTER TABLE open311_api_keys ADD COLUMN posts_per_hour integer NOT NULL DEFAULT 600;
ALTER TABLE open311_api_keys ADD CONSTRAINT open311_api_keys_posts_per_hour_ck CHECK (posts_per_hour BETWEEN 1 AND 100000);

-- What a client sent that we keep as given: the phone as typed when it is not a number we can
-- text, every media_url, and flags for staff (phone_unrecognised, outside_area).
ALTER TABLE open311_requests ADD COLUMN phone_as_sent text NOT NULL DEFAULT '';
ALTER TABLE open311_requests ADD COLUMN media_urls jsonb NOT NULL DEFAULT '[]'::jsonb;
ALTER TABLE open311_requests ADD COLUMN flags jsonb NOT NULL DEFAULT '[]'::jsonb;

-- Client references that make a POST idempotent, per key: 'city:<attribute[city_ref]>',
-- 'idem:<Idempotency-Key>', 'dev:<sha256 of device_id + description>', 'update:<update_id>'.
-- A POST claims its references first (claim = a random token, answer still null), writes, then
-- stores the answer (the case number or the update id); a retry finds the answer. A claim older
-- than the reference's window may be taken over.
CREATE TABLE open311_client_refs (
  api_key_id integer NOT NULL,
  ref text NOT NULL,
  claim text NOT NULL,
  answer text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT open311_client_refs_pk PRIMARY KEY (api_key_id, ref),
  CONSTRAINT open311_client_refs_key_fk FOREIGN KEY (api_key_id) REFERENCES open311_api_keys(id) ON DELETE CASCADE
);

-- Fixed-window rate counters shared by all instances ('read:ip:<ip>', 'read:key:<id>', 'post:key:<id>').
CREATE TABLE open311_rate_counters (
  subject text NOT NULL,
  window_start timestamptz NOT NULL,
  hits integer NOT NULL DEFAULT 0,
  CONSTRAINT open311_rate_counters_pk PRIMARY KEY (subject, window_start)
);
CREATE INDEX open311_rate_counters_window_idx ON open311_rate_counters(window_start);

-- Daily use of each key, shown on the keys page.
CREATE TABLE open311_key_usage (
  api_key_id integer NOT NULL,
  day date NOT NULL,
  posts integer NOT NULL DEFAULT 0,
  reads integer NOT NULL DEFAULT 0,
  refused integer NOT NULL DEFAULT 0,
  CONSTRAINT open311_key_usage_pk PRIMARY KEY (api_key_id, day),
  CONSTRAINT open311_key_usage_key_fk FOREIGN KEY (api_key_id) REFERENCES open311_api_keys(id) ON DELETE CASCADE
);
