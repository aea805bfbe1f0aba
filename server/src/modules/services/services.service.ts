/**
 * Government services: the catalogue, filing (window and online), acceptance, the departments' steps,
 * 补正, decision and delivery, the applicant's tracking, the electronic-supervision monitor, complaints
 * and the figures. Every write runs in one transaction with its audit entry and its figures.
 *
 * This file is the module's service face (routes and other files import it); the code lives in the section
 * files services.catalogue.ts, services.filing.ts, services.rows.ts, services.handling.ts, services.reading.ts,
 * services.public.ts and services.complaints.ts.
 */
export {
  today,
  PUBLIC_FILINGS_PER_HOUR,
  TRACK_LIMITS,
  getServiceSettings,
  putServiceSettings,
  staffNumber,
  listItems,
  getItem,
  saveItem,
} from './services.catalogue.js';
export { newNumbers, fileApplication } from './services.filing.js';
export { windowAction, stepAction, addFiles, openFile } from './services.handling.js';
export { listApplications, inbox, getApplication } from './services.reading.js';
export { authenticate, trackView, track, ratePublic, supplementPublic } from './services.public.js';
export {
  complainPublic,
  complainHotline,
  listComplaints,
  decideComplaint,
  issueSupervisionNotice,
} from './services.complaints.js';
