-- Appending to the audit chain: take the chain's lock and read its head in one round trip.
-- The head must be read after the lock is granted: a statement sees the data as of its start, so the
-- SELECT runs inside this VOLATILE function, where each query takes a fresh snapshot (READ COMMITTED)
-- and so sees every entry committed before the lock was granted. Returns NULL for an empty chain.
CREATE FUNCTION audit_chain_lock() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  head text;
BEGIN
  PERFORM pg_advisory_xact_lock(72700002);
  SELECT hash INTO head FROM audit_entries ORDER BY id DESC LIMIT 1;
  RETURN head;
END $$;
