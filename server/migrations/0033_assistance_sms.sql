-- Assistance desk messages: the unit's handlers and leaders on a referral and on 督办 (staff), the
-- requester on a referral (to which unit, answer expected by). Appends to the current list (0026's way).
DO $$
DECLARE def text;
BEGIN
  SELECT pg_get_constraintdef(oid) INTO def FROM pg_constraint WHERE conname = 'sms_outbox_template_ck';
  ALTER TABLE sms_outbox DROP CONSTRAINT sms_outbox_template_ck;
  EXECUTE 'ALTER TABLE sms_outbox ADD CONSTRAINT sms_outbox_template_ck '
    || replace(def, 'ARRAY[', 'ARRAY[''assistance_staff''::text, ''assistance_referred''::text, ');
END $$;
