-- Account security (issue 12): forced password change, password history, idle session timeout and
-- login throttling that treats known and unknown usernames alike.

-- Set when the admin creates the account or resets its password; cleared when the user picks a new one.
ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;

-- The previous password hashes of a user (the current one included), for "not one of the last N".
CREATE TABLE password_history (
  id bigserial PRIMARY KEY,
  user_id integer NOT NULL,
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT password_history_user_fk FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
);
CREATE INDEX password_history_user_idx ON password_history(user_id, id DESC);

-- Idle timeout: the last time the session was used (refreshed at most once a minute).
ALTER TABLE sessions ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();

-- Failed sign-ins per key: 'u:<username>' (whether or not the user exists) and 'ip:<address>'.
-- An attempt is counted before its password is checked (atomically, one UPSERT), so a burst cannot
-- check more passwords than the limit; a success gives its count back.
CREATE TABLE login_throttle (
  key text PRIMARY KEY,
  failures integer NOT NULL,
  locked_until timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_throttle_updated_idx ON login_throttle(updated_at);
