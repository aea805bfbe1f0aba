-- The leader cockpit (issue 15) reads the year's cases by category, month, place and leading unit: a
-- narrow covering index lets it aggregate half a million cases by an index-only scan instead of reading
-- the wide case rows (descriptions, addresses).
CREATE INDEX cases_cockpit_idx ON cases (created_at) INCLUDE (category_id, lead_unit_id, lat, lng);
