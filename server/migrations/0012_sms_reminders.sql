-- Reporting reminders by SMS go through the one SMS outbox that has a sender (sms_outbox, cases.sms:
-- claimed across instances, retried with backoff). notification_outbox was written by the reminder
-- job but nothing ever sent it. Its pending SMS of the last day move over (template
-- 'reporting_reminder', the text without the signature, which rendering adds); older ones remind of
-- deadlines long gone and are not sent. Then the table goes. An instance of the previous version that
-- still runs its reminder job during a rolling upgrade fails that run, records nothing, and an
-- instance of this version sends the reminders on its next run.
ALTER TABLE sms_outbox DROP CONSTRAINT sms_outbox_template_ck;
ALTER TABLE sms_outbox ADD CONSTRAINT sms_outbox_template_ck CHECK (template IN ('acceptance','completion','feedback_request','reporting_reminder'));

INSERT INTO sms_outbox (phone, template, params, body, created_at)
SELECT recipient, 'reporting_reminder', jsonb_build_object('text', regexp_replace(body, '^【效能】', '')), body, created_at
FROM notification_outbox
WHERE channel = 'sms' AND status = 'pending' AND created_at > now() - interval '1 day'
ORDER BY id;

DROP TABLE notification_outbox;
