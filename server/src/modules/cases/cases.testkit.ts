// Test factories for the cases module (used by its test files only).
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Client, TestEnv } from '../../test/helpers.js';

let seq = 0;

/** Inserts a case category; returns its id. */
export async function buildCaseCategory(
  env: TestEnv,
  opts: {
    name?: string;
    parentId?: number | null;
    defaultUnitId?: number | null;
    timeLimitDays?: number;
    signHours?: number;
    open311Code?: string | null;
    active?: boolean;
  } = {},
): Promise<number> {
  seq++;
  const [row] = await env.database.query<{ id: number }>(
    `INSERT INTO case_categories(code, name, parent_id, default_unit_id, time_limit_days, sign_hours, open311_code, active)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`,
    [
      `T${seq}${Math.random().toString(36).slice(2, 6)}`,
      opts.name ?? `分类${seq}`,
      opts.parentId ?? null,
      opts.defaultUnitId ?? null,
      opts.timeLimitDays ?? 5,
      opts.signHours ?? 4,
      opts.open311Code ?? null,
      opts.active ?? true,
    ],
  );
  return row.id;
}

export const PNG = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
]);

/** A multipart/form-data payload with text fields and files. */
export function multipart(
  fields: Record<string, string>,
  files: { field: string; filename: string; content: Buffer; type?: string }[] = [],
) {
  const boundary = `----xn${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.filename}"\r\nContent-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      f.content,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Asserts a 400 naming the field. */
export function expect400(res: LightMyRequestResponse, field: string): void {
  expect(res.statusCode, res.body).toBe(400);
  expect(res.json().error.field).toBe(field);
}

export function expectOk(
  res: LightMyRequestResponse,
  status = 200,
): Record<string, unknown> & { id: number; status: string } {
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
}

export async function count(env: TestEnv, table: string, where = 'true', params: unknown[] = []): Promise<number> {
  const [row] = await env.database.query<{ n: number | string }>(
    `SELECT count(*)::int AS n FROM ${table} WHERE ${where}`,
    params,
  );
  return Number(row.n);
}

/** Creates a case through the agent API; returns id, number and password. */
export async function intakeCase(
  agent: Client,
  body: {
    categoryId: number;
    description?: string;
    address?: string;
    phone?: string;
    name?: string;
    lat?: number;
    lng?: number;
    dispatch?: unknown;
    anonymous?: boolean;
  },
): Promise<{ id: number; number: string; password: string; status: string }> {
  const res = await agent.post('/api/cases', {
    channel: 'hotline',
    type: 'complaint',
    categoryId: body.categoryId,
    requester: { name: body.name ?? '张三', phone: body.phone ?? '13812345678', anonymous: body.anonymous ?? false },
    description: body.description ?? '小区门口有人长期占道摆摊，影响通行',
    address: body.address ?? '汉江区解放大道688号',
    ...(body.lat !== undefined ? { lat: body.lat, lng: body.lng } : {}),
    ...(body.dispatch ? { dispatch: body.dispatch } : {}),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
