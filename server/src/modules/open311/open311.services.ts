/**
 * Open311: the spec's limits, discovery, and the services (leaf case categories with an Open311 code) with
 * their definitions.
 */
import { CASE_TYPE_NAMES } from '../../../../common/cases.js';
import { zhNames } from '../../../../common/names.js';
import type { Db } from '../../db/client.js';
import { CASE_TYPES, type CaseType, listCategories } from '../cases/index.js';
import { Open311Error, w3cDate } from './open311.format.js';
import { changeset } from './open311.settings.js';

export const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';
/** The most requests one GET returns, and the longest date range (days), as the spec sets them. */
export const MAX_REQUESTS = 1000;
export const MAX_RANGE_DAYS = 90;
/** Photos a multipart POST may carry. */
export const MAX_PHOTOS = 3;
/** How long the same api_key + device_id + description counts as a retry of the first POST. */
export const DEVICE_RETRY_MINUTES = 10;
export const DAY_MS = 86_400_000;

// ---------- discovery ----------

/**
 * The service discovery document (http://wiki.open311.org/Service_Discovery). The changeset is the
 * time the services or their definitions last changed; the endpoint URL ends with '/'.
 */
export async function discovery(db: Db, endpointUrl: string) {
  const services = await listServices(db);
  const at = w3cDate(await changeset(db, { services, attributes: ATTRIBUTES }));
  return {
    changeset: at,
    contact: '区12345政务服务便民热线管理中心：工作日 9:00–17:00，电话 12345 / Hotline management centre, phone 12345',
    key_service:
      'API 密钥由系统管理员在“开放接口密钥”页面签发 / API keys are issued by the system administrator (page “开放接口密钥”)',
    endpoints: [
      {
        specification: SPECIFICATION,
        url: endpointUrl.endsWith('/') ? endpointUrl : `${endpointUrl}/`,
        changeset: at,
        type: 'production',
        formats: ['text/xml', 'application/json'],
      },
    ],
  };
}

// ---------- services ----------

export type Open311Service = {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime';
  keywords: string;
  group: string;
};

export type ServiceCategory = {
  id: number;
  code: string;
  name: string;
  path: string;
  description: string;
  group: string;
  timeLimitDays: number;
};

/** Active leaf case categories with an Open311 service code, in category order. */
export async function serviceCategories(db: Db): Promise<ServiceCategory[]> {
  const cats = await listCategories(db);
  const parents = new Set(cats.map((c) => c.parentId).filter((p): p is number => p !== null));
  const byId = new Map(cats.map((c) => [c.id, c]));
  const inactiveAncestor = (id: number): boolean => {
    const seen = new Set<number>();
    for (let c = byId.get(id); c && !seen.has(c.id); c = c.parentId === null ? undefined : byId.get(c.parentId)) {
      seen.add(c.id);
      if (!c.active) return true;
    }
    return false;
  };
  return cats
    .filter((c) => c.open311Code && !parents.has(c.id) && !inactiveAncestor(c.id))
    .map((c) => ({
      id: c.id,
      code: c.open311Code!,
      name: c.name,
      path: c.path,
      description: c.description,
      group: c.parentId === null ? '' : (byId.get(c.parentId)?.name ?? ''),
      timeLimitDays: c.timeLimitDays,
    }));
}

/** GET services: the request types clients may file. */
export async function listServices(db: Db): Promise<Open311Service[]> {
  return (await serviceCategories(db)).map((c) => ({
    service_code: c.code,
    service_name: c.name,
    description: c.description || c.path,
    metadata: true,
    type: 'realtime',
    keywords: c.path.split(' / ').join(', '),
    group: c.group,
  }));
}

const TYPE_NAMES: Record<CaseType, string> = zhNames(CASE_TYPE_NAMES);

/** The attributes every service accepts (all optional). */
const ATTRIBUTES = [
  {
    variable: true,
    code: 'type',
    datatype: 'singlevaluelist',
    required: false,
    datatype_description: '不填按“投诉”受理 / defaults to complaint',
    order: 1,
    description: '诉求类型 / Kind of request',
    values: CASE_TYPES.map((t) => ({ key: t, name: TYPE_NAMES[t] })),
  },
  {
    variable: true,
    code: 'enterprise_name',
    datatype: 'string',
    required: false,
    datatype_description: '企业诉求填写企业全称 / full name of the enterprise, for enterprise requests',
    order: 2,
    description: '企业名称 / Enterprise name',
    values: [] as { key: string; name: string }[],
  },
  {
    variable: true,
    code: 'city_ref',
    datatype: 'string',
    required: false,
    datatype_description: '市级平台转办时填写市级工单编号 / the city platform’s own case number, for transfers',
    order: 3,
    description: '上级平台工单编号 / Reference number at the city platform',
    values: [] as { key: string; name: string }[],
  },
];

/** GET services/{code}: the service definition (its optional attributes). */
export async function serviceDefinition(db: Db, code: string) {
  const svc = (await serviceCategories(db)).find((c) => c.code === code);
  if (!svc) throw new Open311Error(404, `服务代码 ${code} 不存在`, `service_code ${code} not found`);
  return { service_code: svc.code, attributes: ATTRIBUTES };
}
