-- A unit's cases from the work orders alone (issue 19): the handler's "all" tab counts the distinct
-- cases ever dispatched to the unit by an index-only scan (unit_id, case_id), instead of reading a
-- heap page per work order (2 M cases: 63 ms → a few ms); the scope condition's EXISTS uses it too.
CREATE INDEX case_dispatches_unit_case_idx ON case_dispatches (unit_id, case_id) INCLUDE (status);
