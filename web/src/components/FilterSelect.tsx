import { Select } from 'antd';

type Value = string | number;

export type FilterSelectProps<V extends Value> = {
  /** The placeholder: what the filter is (来源, 单位, 状态 …). */
  label: string;
  options: { value: V; label: string }[];
  value?: V;
  onChange(value: V | undefined): void;
  width?: number;
  /** Type to find an option (long lists: units, leaders). */
  search?: boolean;
  testId?: string;
};

/** One select of a list's filter bar: clearable (cleared = no filter), optionally searchable by label. */
export function FilterSelect<V extends Value>({
  label,
  options,
  value,
  onChange,
  width = 130,
  search,
  testId,
}: FilterSelectProps<V>) {
  return (
    <Select<V>
      allowClear
      showSearch={search}
      optionFilterProp={search ? 'label' : undefined}
      placeholder={label}
      style={{ width }}
      value={value}
      onChange={(v) => onChange(v ?? undefined)}
      options={options}
      data-testid={testId}
    />
  );
}

/** Options from a vocabulary map (`{ key: () => label }` or `{ key: { label: () => label } }`). */
export function optionsOf<K extends string>(
  map: Record<K, (() => string) | { label: () => string }>,
): { value: K; label: string }[] {
  return (Object.keys(map) as K[]).map((value) => {
    const l = map[value];
    return { value, label: typeof l === 'function' ? l() : l.label() };
  });
}
