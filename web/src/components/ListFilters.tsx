import { Select, Tag, type SelectProps } from 'antd';
import { useUnits } from '../pages/admin/api';

/** The current calendar year (the desks' lists and figures default to it). */
export const THIS_YEAR = new Date().getFullYear();

/** A year filter: this year and last. */
export function YearSelect({ value, onChange }: { value: number | undefined; onChange(year: number): void }) {
  return (
    <Select<number>
      style={{ width: 100 }}
      value={value}
      onChange={onChange}
      options={[THIS_YEAR, THIS_YEAR - 1].map((y) => ({ value: y, label: `${y}年` }))}
    />
  );
}

/** A label of a code: a function, or a status with its colour. */
type Label = (() => string) | { label: () => string };
const textOf = (l: Label) => (typeof l === 'function' ? l() : l.label());

/** A filter over a code list (kind, status, type), its options from the codes' labels; clearable. */
export function LabelSelect<K extends string>({
  labels,
  ...props
}: { labels: Readonly<Record<K, Label>> } & Omit<SelectProps<K>, 'options'>) {
  return (
    <Select<K>
      allowClear
      {...props}
      options={(Object.entries(labels) as [K, Label][]).map(([value, l]) => ({ value, label: textOf(l) }))}
    />
  );
}

/** A picker of the units a record can go to (every unit but the district itself), searchable by name. */
export function UnitSelect<V = number>(props: Omit<SelectProps<V>, 'options'>) {
  const units = useUnits();
  return (
    <Select<V>
      showSearch
      optionFilterProp="label"
      {...props}
      options={(units.data ?? []).filter((u) => u.kind !== 'district').map((u) => ({ value: u.id, label: u.name }))}
    />
  );
}

/** A status as a coloured tag. */
export function StatusTag({ status, testId }: { status: { label: () => string; color: string }; testId?: string }) {
  return (
    <Tag color={status.color} data-testid={testId}>
      {status.label()}
    </Tag>
  );
}
