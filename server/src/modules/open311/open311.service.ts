/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) over the public service platform:
 * services are the leaf case categories that have an Open311 service code; a request is a case
 * (service_request_id = the case number). Requests filed here become cases through the cases
 * service, on the channel of the API key ('open311', or 'city_transfer' for the city platform).
 * Nothing about the requester (name, phone, e-mail, device, account) is ever returned, and what is
 * returned of a case follows its publication rule (cases.publication.ts). docs/OPEN311.md says what
 * is supported.
 *
 * This file is the module's service face (routes and other files import it); the code lives in the section
 * files open311.services.ts, open311.keys.ts, open311.create.ts and open311.read.ts.
 */
export {
  SPECIFICATION,
  MAX_REQUESTS,
  MAX_RANGE_DAYS,
  MAX_PHOTOS,
  DEVICE_RETRY_MINUTES,
  discovery,
  type Open311Service,
  listServices,
  serviceDefinition,
} from './open311.services.js';
export { hashKey, listKeys, createKey, updateKey, insertKnownKey, guardRead } from './open311.keys.js';
export { FLAG_TEXT, type PostResult, type PostMeta, createRequest } from './open311.create.js';
export {
  type Open311Request,
  WITHHELD,
  type ReadOptions,
  readOptions,
  paging,
  dateRange,
  listRequests,
  getRequest,
  resolveToken,
} from './open311.read.js';
