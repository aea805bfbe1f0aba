// The SMS platform service: what modules may use. Modules import from here, not from the files behind it.
export {
  backoffMs,
  enqueueSms,
  httpProvider,
  idempotencyKeyOf,
  logProvider,
  MAX_SMS_ATTEMPTS,
  renderSms,
  runSmsBatch,
  scrubbed,
  smsInsertSql,
  SmsOutcomeUnknown,
  smsRows,
  SMS_SIGNATURE,
  STAFF_SMS_SIGNATURE,
  type SmsMessage,
  type SmsProvider,
  type SmsRequest,
} from './sms.js';
export { smsJobs, smsSenderJob } from './sms.jobs.js';
export { SMS_STATUSES, SMS_TEMPLATES, type SmsStatus, type SmsTemplate } from './sms.table.js';
export { listSms, requeueSms, smsById, smsCounts, type SmsRow } from './sms.repo.js';
