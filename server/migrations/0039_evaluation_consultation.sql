-- Consultation (协商中心: public consultations and hearings before a decision) runs as an evaluation
-- campaign of kind 'consultation': the topic's background, and after closing the office's summary
-- (意见汇总与采纳情况: what was heard, what was adopted, what not and why), published with the aggregated
-- answers of the closed questions as they stood at publication.
ALTER TABLE evaluation_campaigns DROP CONSTRAINT evaluation_campaigns_kind_ck;
ALTER TABLE evaluation_campaigns ADD CONSTRAINT evaluation_campaigns_kind_ck CHECK (kind IN ('public_survey','enterprise_survey','deputies','special_supervisors','leaders','mutual','service_recipients','expert_review','consultation'));

CREATE TABLE evaluation_consultations (
  campaign_id integer PRIMARY KEY REFERENCES evaluation_campaigns(id) ON DELETE CASCADE,
  background text NOT NULL DEFAULT '',
  heard text NOT NULL DEFAULT '',
  adopted text NOT NULL DEFAULT '',
  not_adopted text NOT NULL DEFAULT '',
  summary_by integer REFERENCES users(id),
  summary_at timestamptz,
  -- Set at publication: the participants and the tallies of the closed questions (frozen with the campaign).
  participants integer,
  tallies jsonb
);
