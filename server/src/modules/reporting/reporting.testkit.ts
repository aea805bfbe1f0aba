/**
 * Test fixtures of the data-collection module: a 2026 year in force with a small indicator tree,
 * approved plans, and helpers for multipart uploads and the module clock. Tests only.
 */
import { randomBytes } from 'node:crypto';
import type { TestEnv } from '../../test/helpers.js';
import { reportingClock } from './reporting.service.js';

export type World = {
  yearId: number;
  categoryId: number;
  otherCategoryId: number;
  unitA: number;
  unitB: number;
  peers: number[];
  outsider: number;
  assessorUnit: number;
  groupId: number;
  /** Self-reported, default form. */
  leafValue: number;
  /** Self-reported, designed form (cases/closed, a cross-field rule, a cumulative field). */
  leafForm: number;
  /** Third-party, assessed by assessorUnit. */
  leafThird: number;
  /** Case-platform statistic: no form. */
  leafCases: number;
  /** Applies to the other category only. */
  leafOther: number;
};

/** Sets the module clock (Beijing time is UTC+8); returns a restore function. */
export function setNow(iso: string): () => void {
  const orig = reportingClock.now;
  reportingClock.now = () => new Date(iso);
  return () => {
    reportingClock.now = orig;
  };
}

/** Builds the year, tree, units (A, B and peers in one category, an outsider in another) and approved plans. */
export async function buildWorld(env: TestEnv, opts: { year?: number; status?: string } = {}): Promise<World> {
  const q = env.database.query.bind(env.database);
  const categoryId = await env.buildCategory();
  const otherCategoryId = await env.buildCategory();
  const unitA = await env.buildUnit({ categoryId, name: '甲局' });
  const unitB = await env.buildUnit({ categoryId, name: '乙局' });
  const peers = [];
  for (let i = 0; i < 5; i++) peers.push(await env.buildUnit({ categoryId, name: `同类${i}` }));
  const outsider = await env.buildUnit({ categoryId: otherCategoryId, name: '丙街道' });
  const assessorUnit = await env.buildUnit({ name: '司法局' });
  const [y] = await q<{ id: number }>(
    `INSERT INTO assessment_years(year, name, status, grade_rule, deadline_day) VALUES ($1, $2, $3, $4, 15) RETURNING id`,
    [
      opts.year ?? 2026,
      `${opts.year ?? 2026}年度`,
      opts.status ?? 'in_force',
      JSON.stringify({
        by: 'threshold',
        grades: [
          { label: '优秀', threshold: 90 },
          { label: '不达标', threshold: 0 },
        ],
      }),
    ],
  );
  const applies = JSON.stringify({ categoryIds: [categoryId], unitIds: [] });
  const ind = async (
    code: string,
    name: string,
    parentId: number | null,
    extra: { source?: string; assessing?: number | null; applies?: string; uom?: string } = {},
  ) => {
    const [r] = await q<{ id: number }>(
      `INSERT INTO indicators(year_id, parent_id, code, name, level, points, unit_of_measure, applies_to, assessing_unit_id, data_source, aggregate, case_metric)
       VALUES ($1,$2,$3,$4,$5,10,$6,$7,$8,$9,'sum',$10) RETURNING id`,
      [
        y.id,
        parentId,
        code,
        name,
        parentId === null ? 1 : 2,
        extra.uom ?? '件',
        extra.applies ?? applies,
        extra.assessing ?? null,
        extra.source ?? 'self_report',
        extra.source === 'case_platform' ? 'onTimeRate' : null,
      ],
    );
    return r.id;
  };
  const groupId = await ind('A', '履职效率', null, { applies: JSON.stringify({ categoryIds: [], unitIds: [] }) });
  const leafValue = await ind('A1', '重点项目完成数', groupId);
  const leafForm = await ind('A2', '诉求办结情况', groupId);
  const leafThird = await ind('A3', '依法行政考核', groupId, {
    source: 'third_party',
    assessing: assessorUnit,
    uom: '分',
  });
  const leafCases = await ind('A4', '按时办结率', groupId, { source: 'case_platform', uom: '%' });
  const leafOther = await ind('A5', '街道专项', groupId, {
    applies: JSON.stringify({ categoryIds: [otherCategoryId], unitIds: [] }),
  });
  await q(`INSERT INTO indicator_forms(indicator_id, definition) VALUES ($1, $2)`, [
    leafForm,
    JSON.stringify({
      fields: [
        {
          key: 'cases',
          label: '受理件数',
          type: 'integer',
          required: true,
          min: 0,
          max: null,
          unit: '件',
          help: '',
          cumulative: true,
          options: [],
        },
        {
          key: 'closed',
          label: '办结件数',
          type: 'integer',
          required: true,
          min: 0,
          max: null,
          unit: '件',
          help: '',
          cumulative: false,
          options: [],
        },
      ],
      rules: [{ expression: 'closed <= cases', message: '办结件数不能大于受理件数' }],
      scoreField: 'closed',
      scoreFormula: null,
    }),
  ]);
  for (const u of [unitA, unitB, ...peers, outsider]) {
    const [p] = await q<{ id: number }>(
      `INSERT INTO performance_plans(year_id, unit_id, status) VALUES ($1,$2,'approved') RETURNING id`,
      [y.id, u],
    );
    await q(`INSERT INTO plan_targets(plan_id, indicator_id, target) VALUES ($1,$2,120), ($1,$3,600)`, [
      p.id,
      leafValue,
      leafForm,
    ]);
  }
  return {
    yearId: y.id,
    categoryId,
    otherCategoryId,
    unitA,
    unitB,
    peers,
    outsider,
    assessorUnit,
    groupId,
    leafValue,
    leafForm,
    leafThird,
    leafCases,
    leafOther,
  };
}

/** A multipart/form-data body with one file part. */
export function multipart(filename: string, content: Buffer, contentType = 'application/octet-stream', field = 'file') {
  const boundary = `----xn${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, content, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** A minimal valid PDF. */
export const TINY_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
