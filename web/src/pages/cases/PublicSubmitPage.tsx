import {
  CameraOutlined,
  CheckCircleFilled,
  CloseOutlined,
  CopyOutlined,
  ExclamationCircleFilled,
} from '@ant-design/icons';
import { App, Button, Form, Input } from 'antd';
import { useEffect, useMemo, useState, type CSSProperties } from 'react';
import { Link } from 'react-router';
import type { TPublicCreated } from '@server/modules/cases/cases.schema';
import { PublicPanel } from '../../components/PublicFrame';
import { ApiError, errorText } from '../../lib/api';
import { t } from '../../lib/i18n';
import { CasesPublicFrame } from './CasesPublicFrame';
import { CASE_TYPES, categoryOptions, TYPE_LABEL, type CascaderOption, type CaseType } from './casesData';
import { casesApi, usePublicCategories } from './api';

/*
 * 网上受理 on a phone. Kept light on purpose (issue 12: a citizen's page under 250 KB): native selects
 * for the category (the phone's own picker) and a native file input for photos, instead of antd's
 * Cascader and Upload; a plain panel instead of Card.
 */

const NATIVE: CSSProperties = {
  width: '100%',
  height: 40,
  padding: '0 8px',
  border: '1px solid #d9d9d9',
  borderRadius: 6,
  background: '#fff',
  fontSize: 16,
  color: 'inherit',
};

const SECONDARY: CSSProperties = { color: 'rgba(0,0,0,.45)' };

/** 诉求类型 as a row of buttons (the chosen one filled). */
function TypeButtons({ value, onChange }: { value?: CaseType; onChange?: (v: CaseType) => void }) {
  return (
    <div role="radiogroup" style={{ display: 'flex', flexWrap: 'wrap', gap: 6 }} data-testid="public-type">
      {CASE_TYPES.map((c) => (
        <Button
          key={c}
          role="radio"
          aria-checked={value === c}
          type={value === c ? 'primary' : 'default'}
          onClick={() => onChange?.(c)}
          data-testid={`public-type-${c}`}
        >
          {TYPE_LABEL[c]()}
        </Button>
      ))}
    </div>
  );
}

/** 问题分类: one select per level along the chosen path (value: the ids from the root to the choice). */
function CategorySelects({
  options,
  value,
  onChange,
}: {
  options: CascaderOption[];
  value?: number[];
  onChange?: (v: number[] | undefined) => void;
}) {
  const path = value ?? [];
  const levels: CascaderOption[][] = [options];
  for (const id of path) {
    const children = levels[levels.length - 1].find((o) => o.value === id)?.children;
    if (!children?.length) break;
    levels.push(children);
  }
  return (
    <div style={{ display: 'flex', gap: 8 }}>
      {levels.map((opts, depth) => (
        <select
          key={depth}
          style={NATIVE}
          value={path[depth] ?? ''}
          onChange={(e) => {
            const next = [...path.slice(0, depth), ...(e.target.value ? [Number(e.target.value)] : [])];
            onChange?.(next.length ? next : undefined);
          }}
          aria-label={depth === 0 ? t('问题大类', 'Category') : t('问题小类', 'Sub-category')}
          data-testid={depth === 0 ? 'public-category' : `public-category-${depth}`}
        >
          <option value="">{depth === 0 ? t('请选择', 'Choose') : t('请选择小类', 'Choose')}</option>
          {opts.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ))}
    </div>
  );
}

/** A category is complete when the path ends at a leaf. */
function categoryDone(options: CascaderOption[], v: number[] | undefined): boolean {
  let level: CascaderOption[] | undefined = options;
  let last: CascaderOption | undefined;
  for (const id of v ?? []) {
    last = level?.find((o) => o.value === id);
    if (!last) return false;
    level = last.children;
  }
  return !!last && !last.children?.length;
}

/** 现场照片: up to `max` images from the phone's camera or album, with thumbnails and a remove button. */
function PhotoPicker({ files, onChange, max }: { files: File[]; onChange: (f: File[]) => void; max: number }) {
  const urls = useMemo(() => files.map((f) => URL.createObjectURL(f)), [files]);
  useEffect(() => () => urls.forEach((u) => URL.revokeObjectURL(u)), [urls]);
  const box: CSSProperties = {
    width: 96,
    height: 96,
    borderRadius: 8,
    border: '1px dashed #d9d9d9',
    background: '#fafafa',
    position: 'relative',
    overflow: 'hidden',
  };
  return (
    <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
      {files.map((f, i) => (
        <div key={`${f.name}:${i}`} style={box} data-testid="public-photo-item">
          <img src={urls[i]} alt={f.name} style={{ width: '100%', height: '100%', objectFit: 'cover' }} />
          <button
            type="button"
            aria-label={t('删除', 'Remove')}
            onClick={() => onChange(files.filter((_, k) => k !== i))}
            style={{
              position: 'absolute',
              top: 2,
              right: 2,
              border: 0,
              borderRadius: 12,
              width: 24,
              height: 24,
              background: 'rgba(0,0,0,.55)',
              color: '#fff',
              cursor: 'pointer',
            }}
          >
            <CloseOutlined />
          </button>
        </div>
      ))}
      {files.length < max && (
        <label
          style={{
            ...box,
            display: 'flex',
            flexDirection: 'column',
            alignItems: 'center',
            justifyContent: 'center',
            cursor: 'pointer',
          }}
        >
          <CameraOutlined style={{ fontSize: 20 }} />
          <span style={{ marginTop: 4 }}>{t('添加照片', 'Add')}</span>
          <input
            type="file"
            accept="image/jpeg,image/png,image/gif,image/webp"
            multiple
            style={{ display: 'none' }}
            onChange={(e) => {
              onChange([...files, ...Array.from(e.target.files ?? [])].slice(0, max));
              e.target.value = '';
            }}
            data-testid="public-photo"
          />
        </label>
      )}
    </div>
  );
}

type SubmitValues = {
  category: number[];
  type: CaseType;
  description: string;
  address: string;
  name?: string;
  phone?: string;
};

/** 网上受理: a citizen describes the problem; the number and query password are shown once. */
export function PublicSubmitPage() {
  const [form] = Form.useForm<SubmitValues>();
  const { message } = App.useApp();
  const cats = usePublicCategories();
  const options = useMemo(() => categoryOptions(cats.data ?? []), [cats.data]);
  const [photos, setPhotos] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<TPublicCreated | null>(null);

  const submit = async (v: SubmitValues) => {
    const fd = new FormData();
    fd.append('categoryId', String(v.category[v.category.length - 1]));
    fd.append('type', v.type);
    fd.append('description', v.description);
    fd.append('address', v.address);
    if (v.name) fd.append('name', v.name);
    if (v.phone) fd.append('phone', v.phone);
    for (const p of photos) fd.append('photo', p, p.name);
    setBusy(true);
    try {
      setCreated(await casesApi.publicCreate(fd));
      window.scrollTo(0, 0);
    } catch (e) {
      if (e instanceof ApiError && e.field) {
        const name = e.field === 'categoryId' ? 'category' : e.field;
        if (form.getFieldInstance(name) !== undefined)
          form.setFields([{ name: name as keyof SubmitValues, errors: [e.message] }]);
      }
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    const copy = () =>
      navigator.clipboard
        ?.writeText(created.number)
        .then(() => message.success(t('已复制办件编号', 'Number copied')))
        .catch(() => undefined);
    return (
      <CasesPublicFrame>
        <PublicPanel data-testid="public-created">
          <div style={{ textAlign: 'center', padding: '16px 0 24px' }}>
            <CheckCircleFilled style={{ color: '#389e0d', fontSize: 56 }} />
            <h3 style={{ fontSize: 24, margin: '16px 0 8px' }}>
              {t('您的诉求已提交', 'Your request has been received')}
            </h3>
            <span style={SECONDARY}>
              {t(
                `我们将在 ${created.timeLimitDays} 个工作日内办理`,
                `We will handle it within ${created.timeLimitDays} working days`,
              )}
            </span>
          </div>
          <div
            style={{
              textAlign: 'center',
              background: '#fff7e6',
              border: '1px solid #ffd591',
              borderRadius: 8,
              padding: 16,
            }}
          >
            <span style={SECONDARY}>{t('办件编号', 'Case number')}</span>
            <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'center', gap: 4 }}>
              <h2
                // One line on a 390 px phone: the number shrinks with the screen instead of wrapping.
                style={{
                  margin: '4px 0 12px',
                  letterSpacing: 1,
                  whiteSpace: 'nowrap',
                  fontSize: 'clamp(18px, 5.6vw, 30px)',
                }}
                data-testid="public-number"
              >
                {created.number}
              </h2>
              <Button type="text" icon={<CopyOutlined />} aria-label={t('复制', 'Copy')} onClick={() => void copy()} />
            </div>
            <span style={SECONDARY}>{t('查询密码', 'Query password')}</span>
            <h2 style={{ fontSize: 30, margin: '4px 0', letterSpacing: 8 }} data-testid="public-password">
              {created.password}
            </h2>
          </div>
          <div
            role="alert"
            style={{
              marginTop: 16,
              padding: '12px 16px',
              background: '#fffbe6',
              border: '1px solid #ffe58f',
              borderRadius: 8,
            }}
          >
            <strong>
              <ExclamationCircleFilled style={{ color: '#faad14', marginRight: 8 }} />
              {t('请妥善保存办件编号和查询密码', 'Please keep the number and the password')}
            </strong>
            <div style={{ marginTop: 4 }}>
              {t(
                '查询密码只显示这一次，凭编号和密码可随时查询办理进度并对办理结果进行评价。',
                'The password is shown only this once. Use both to follow the progress and rate the result.',
              )}
            </div>
          </div>
          <div style={{ marginTop: 16, display: 'flex', gap: 8, flexWrap: 'wrap' }}>
            <Link to={`/public/track?number=${created.number}`}>
              <Button type="primary" data-testid="public-go-track">
                {t('查询办理进度', 'Track progress')}
              </Button>
            </Link>
            <Button
              onClick={() => {
                setCreated(null);
                setPhotos([]);
                form.resetFields();
              }}
            >
              {t('再反映一件', 'Report another')}
            </Button>
          </div>
        </PublicPanel>
      </CasesPublicFrame>
    );
  }

  return (
    <CasesPublicFrame>
      <PublicPanel title={t('我要反映', 'Report a problem')}>
        <Form<SubmitValues>
          form={form}
          layout="vertical"
          initialValues={{ type: 'complaint' }}
          onFinish={(v) => void submit(v)}
          data-testid="public-submit-form"
        >
          <Form.Item
            name="category"
            label={t('问题分类', 'Category')}
            required
            rules={[
              {
                validator: (_, v: number[] | undefined) =>
                  categoryDone(options, v)
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('请选择问题分类', 'Choose a category'))),
              },
            ]}
          >
            <CategorySelects options={options} />
          </Form.Item>
          <Form.Item name="type" label={t('诉求类型', 'Type')} rules={[{ required: true }]}>
            <TypeButtons />
          </Form.Item>
          <Form.Item
            name="description"
            label={t('问题描述', 'Description')}
            rules={[
              { required: true, whitespace: true, message: t('请描述您反映的问题', 'Describe the problem') },
              { min: 10, message: t('请至少写 10 个字，便于我们了解情况', 'At least 10 characters') },
            ]}
          >
            <Input.TextArea
              rows={5}
              maxLength={2000}
              showCount
              placeholder={t('时间、地点、具体情况……', 'When, where, what …')}
              data-testid="public-description"
            />
          </Form.Item>
          <Form.Item
            name="address"
            label={t('事发地点', 'Place')}
            rules={[
              { required: true, whitespace: true, message: t('请填写事发地点', 'Where did it happen?') },
              { min: 2 },
            ]}
          >
            <Input
              maxLength={200}
              placeholder={t('如：宝丰一路 12 号小区门口', 'e.g. the gate of No. 12 Baofeng Road')}
              data-testid="public-address"
            />
          </Form.Item>
          <Form.Item name="name" label={t('姓名（选填）', 'Name (optional)')}>
            <Input maxLength={50} data-testid="public-name" />
          </Form.Item>
          <Form.Item
            name="phone"
            label={t('手机号（选填，用于接收短信）', 'Mobile (optional, for SMS)')}
            rules={[
              {
                pattern: /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/,
                message: t('请填写正确的电话号码', 'Invalid phone number'),
              },
            ]}
          >
            <Input inputMode="tel" maxLength={13} data-testid="public-phone" />
          </Form.Item>
          <Form.Item label={t('现场照片（选填，最多 3 张）', 'Photos (optional, up to 3)')}>
            <PhotoPicker files={photos} onChange={setPhotos} max={3} />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="public-submit">
            {t('提交', 'Submit')}
          </Button>
        </Form>
      </PublicPanel>
    </CasesPublicFrame>
  );
}
