-- One table of fixed-window rate counters for every public route, shared by all instances (0014 made it
-- for Open311; the rating and survey pages counted in each instance's memory). Subjects are prefixed by
-- their route family: 'open311:read:ip:<ip>', 'rating:ip:<ip>', 'survey:ip:<ip>'.
ALTER TABLE open311_rate_counters RENAME TO rate_counters;
ALTER TABLE rate_counters RENAME CONSTRAINT open311_rate_counters_pk TO rate_counters_pk;
ALTER INDEX open311_rate_counters_window_idx RENAME TO rate_counters_window_idx;
-- Open311's subjects keep counting across the upgrade under their new prefix.
UPDATE rate_counters SET subject = 'open311:' || subject;
