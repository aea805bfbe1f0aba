-- Cheaper case intake: indexes on columns that most cases leave NULL index only the rows that have a
-- value. Hotline and Open311 cases have no source IP (only the public web form records one), most
-- cases are never merged, and a case has no deadline until it is dispatched. Every query on these
-- columns compares them with a value (=, <), which implies NOT NULL, so the planner still uses them.
DROP INDEX cases_source_ip_idx;
CREATE INDEX cases_source_ip_idx ON cases(source_ip, created_at) WHERE source_ip IS NOT NULL;
DROP INDEX cases_main_idx;
CREATE INDEX cases_main_idx ON cases(main_case_id) WHERE main_case_id IS NOT NULL;
DROP INDEX cases_deadline_idx;
CREATE INDEX cases_deadline_idx ON cases(deadline) WHERE deadline IS NOT NULL;
