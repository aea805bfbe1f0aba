-- The audit chain becomes keyed: from here on each entry's hash is HMAC-SHA256, with a key kept outside
-- the database (AUDIT_KEY, AUDIT_KEY_FILE or DATA_DIR/audit-key), over the previous hash, a newline and
-- the entry's canonical JSON. Entries written before this migration keep their plain SHA-256 hashes and
-- still verify; `audit_chain_state.keyed_from` records the first id that is keyed (the switch-over), and
-- the signed checkpoints written outside the database repeat it, so moving it cannot go unnoticed.
--
-- HMAC is computed with PostgreSQL's built-in sha256() (no pgcrypto: it is not installed by default on
-- PostgreSQL and PGlite needs it passed to its constructor): HMAC(K, m) = H((K ^ opad) || H((K ^ ipad) || m)).
-- The application passes the two padded keys (64 bytes each) with every append; the key itself is never
-- stored in the database.
CREATE TABLE audit_chain_state (
  id integer PRIMARY KEY CONSTRAINT audit_chain_state_single CHECK (id = 1),
  keyed_from bigint NOT NULL,
  switched_at timestamptz NOT NULL DEFAULT now()
);

-- Wait for appends in flight (they hold this lock to their commit), so every id below keyed_from is final.
SELECT pg_advisory_xact_lock(72700002);
INSERT INTO audit_chain_state (id, keyed_from) SELECT 1, coalesce(max(id), 0) + 1 FROM audit_entries;

CREATE FUNCTION audit_chain_state_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_chain_state is written once, by its migration';
END $$;
CREATE TRIGGER audit_chain_state_frozen BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_chain_state
  FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_state_frozen();

-- The unkeyed append (migration 0011) refuses from now on: an instance of the previous version still
-- running during an upgrade fails its audited writes instead of adding unkeyed entries to a keyed chain.
CREATE OR REPLACE FUNCTION audit_append(entries json) RETURNS void LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RAISE EXCEPTION 'audit_append: the audit chain is keyed since migration 0016; upgrade this server';
END $$;

-- `entries` as in migration 0011; `ikey` and `okey`: the HMAC key (64 bytes, zero-padded) XOR 0x36 and XOR 0x5c.
CREATE FUNCTION audit_append(entries json, ikey bytea, okey bytea) RETURNS void LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  prev text;
  prevs text[] := ARRAY[]::text[];
  hashes text[] := ARRAY[]::text[];
  body text;
BEGIN
  IF length(ikey) <> 64 OR length(okey) <> 64 THEN
    RAISE EXCEPTION 'audit_append: the padded keys must be 64 bytes';
  END IF;
  PERFORM pg_advisory_xact_lock(72700002);
  SELECT hash INTO prev FROM audit_entries ORDER BY id DESC LIMIT 1;
  prev := coalesce(prev, repeat('0', 64));
  FOR body IN SELECT e.value ->> 'body' FROM json_array_elements(entries) WITH ORDINALITY AS e ORDER BY e.ordinality LOOP
    IF body IS NULL THEN
      RAISE EXCEPTION 'audit_append: an entry has no body';
    END IF;
    prevs := prevs || prev;
    prev := encode(sha256(okey || sha256(ikey || convert_to(prev || E'\n' || body, 'UTF8'))), 'hex');
    hashes := hashes || prev;
  END LOOP;
  INSERT INTO audit_entries (at, actor_id, actor_name, ip, action, entity_type, entity_id, unit_id, before, after, prev_hash, hash)
  SELECT r.at, r.actor_id, r.actor_name, r.ip, r.action, r.entity_type, r.entity_id, r.unit_id, r.before, r.after, prevs[r.ordinality], hashes[r.ordinality]
  FROM json_populate_recordset(NULL::audit_entries, entries) WITH ORDINALITY AS r
  ORDER BY r.ordinality;
END $$;
