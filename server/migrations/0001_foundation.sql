-- Foundation: settings, unit categories, units, users, roles, leaders in charge, sessions, audit.
CREATE TABLE app_settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL
);

CREATE TABLE unit_categories (
  id serial PRIMARY KEY,
  code text NOT NULL,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  sort integer NOT NULL DEFAULT 0,
  CONSTRAINT unit_categories_code_uq UNIQUE (code)
);

CREATE TABLE units (
  id serial PRIMARY KEY,
  code text NOT NULL,
  name text NOT NULL,
  kind text NOT NULL,
  parent_id integer,
  category_id integer,
  active boolean NOT NULL DEFAULT true,
  sort integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT units_code_uq UNIQUE (code),
  CONSTRAINT units_kind_ck CHECK (kind IN ('district','department','street','town','community')),
  CONSTRAINT units_parent_fk FOREIGN KEY (parent_id) REFERENCES units(id) ON DELETE RESTRICT,
  CONSTRAINT units_category_fk FOREIGN KEY (category_id) REFERENCES unit_categories(id) ON DELETE RESTRICT
);
CREATE INDEX units_parent_idx ON units(parent_id);

CREATE TABLE users (
  id serial PRIMARY KEY,
  username text NOT NULL,
  display_name text NOT NULL,
  password_hash text NOT NULL,
  unit_id integer NOT NULL,
  phone text,
  active boolean NOT NULL DEFAULT true,
  failed_logins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT users_username_uq UNIQUE (username),
  CONSTRAINT users_unit_fk FOREIGN KEY (unit_id) REFERENCES units(id) ON DELETE RESTRICT
);

CREATE TABLE user_roles (
  user_id integer NOT NULL,
  role text NOT NULL,
  CONSTRAINT user_roles_pk PRIMARY KEY (user_id, role),
  CONSTRAINT user_roles_user_fk FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
);

-- 分管: a district leader is in charge of these units (and their descendants).
CREATE TABLE unit_leaders (
  user_id integer NOT NULL,
  unit_id integer NOT NULL,
  CONSTRAINT unit_leaders_pk PRIMARY KEY (user_id, unit_id),
  CONSTRAINT unit_leaders_user_fk FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
  CONSTRAINT unit_leaders_unit_fk FOREIGN KEY (unit_id) REFERENCES units(id) ON DELETE CASCADE
);

CREATE TABLE sessions (
  id text PRIMARY KEY,             -- sha256 of the cookie token; the token itself is never stored
  user_id integer NOT NULL,
  csrf_token text NOT NULL,
  ip text,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  CONSTRAINT sessions_user_fk FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
);
CREATE INDEX sessions_user_idx ON sessions(user_id);

CREATE TABLE audit_entries (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  actor_id integer,
  actor_name text NOT NULL,
  ip text,
  action text NOT NULL,
  entity_type text NOT NULL,
  entity_id text,
  unit_id integer,
  before jsonb,
  after jsonb,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX audit_entries_at_idx ON audit_entries(at);
CREATE INDEX audit_entries_entity_idx ON audit_entries(entity_type, entity_id);

-- Append-only: the application never updates or deletes audit entries; the database refuses too.
CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_entries is append-only';
END $$;
CREATE TRIGGER audit_entries_no_change BEFORE UPDATE OR DELETE ON audit_entries
  FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only();
