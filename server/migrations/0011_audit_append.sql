-- Appending to the audit chain in one round trip: take the chain's lock, read its head after the lock
-- is granted (a fresh snapshot inside this VOLATILE function, as audit_chain_lock()), chain the entries
-- and insert them, in array order.
--
-- `entries` is a JSON array of audit_entries rows (column names; no id, prev_hash or hash) each with
-- one more key, "body": the entry's canonical JSON as the application hashes it (audit.chain.ts
-- entryBody). Each hash is sha256 over the previous hash, a newline and the body, in lowercase hex:
-- the same formula as audit.chain.ts entryHash, with which the chain is verified.
--
-- This version no longer calls audit_chain_lock() (migration 0010); it stays for instances of the
-- previous version that may still run during a rolling upgrade.
CREATE FUNCTION audit_append(entries json) RETURNS void LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  prev text;
  prevs text[] := ARRAY[]::text[];
  hashes text[] := ARRAY[]::text[];
  body text;
BEGIN
  PERFORM pg_advisory_xact_lock(72700002);
  SELECT hash INTO prev FROM audit_entries ORDER BY id DESC LIMIT 1;
  prev := coalesce(prev, repeat('0', 64));
  FOR body IN SELECT e.value ->> 'body' FROM json_array_elements(entries) WITH ORDINALITY AS e ORDER BY e.ordinality LOOP
    IF body IS NULL THEN
      RAISE EXCEPTION 'audit_append: an entry has no body';
    END IF;
    prevs := prevs || prev;
    prev := encode(sha256(convert_to(prev || E'\n' || body, 'UTF8')), 'hex');
    hashes := hashes || prev;
  END LOOP;
  INSERT INTO audit_entries (at, actor_id, actor_name, ip, action, entity_type, entity_id, unit_id, before, after, prev_hash, hash)
  SELECT r.at, r.actor_id, r.actor_name, r.ip, r.action, r.entity_type, r.entity_id, r.unit_id, r.before, r.after, prevs[r.ordinality], hashes[r.ordinality]
  FROM json_populate_recordset(NULL::audit_entries, entries) WITH ORDINALITY AS r
  ORDER BY r.ordinality;
END $$;
