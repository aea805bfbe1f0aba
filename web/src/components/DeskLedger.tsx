import { PlusOutlined } from '@ant-design/icons';
import { Button, Input, Space, Table, type TableColumnsType } from 'antd';
import { useState, type ReactNode } from 'react';
import { THIS_YEAR, YearSelect } from './ListFilters';
import { PageHeader } from './PageHeader';
import { ExportButton, PrintButton } from './TableTools';

/** The filters every desk ledger has: the page, the year, the search text. */
export type LedgerFilters = { page: number; pageSize: number; year?: number; q?: string };
/** A page of a desk's list (platform/lists on the server). */
type LedgerPage<R> = { rows: R[]; total: number; totalCapped?: boolean };

/**
 * A desk's ledger (求助转办, 调解台账): title, the register button, export of what the filters show and
 * print; search, year and the desk's own filters; the paged table whose row opens the record's drawer.
 * Changing a filter goes back to page 1. Test ids: `${testId}-new`, `-search`, `-export`, `-print`.
 */
export function DeskLedger<R extends { id: number }, F extends LedgerFilters>(props: {
  title: ReactNode;
  testId: string;
  useList: (filters: F) => { isLoading: boolean; data?: LedgerPage<R> };
  exportPath: string;
  searchPlaceholder: string;
  /** The desk's other filters, given the filters and a setter. */
  filters?: (filters: F, set: (patch: Partial<F>) => void) => ReactNode;
  /** Between the filters and the table (a count, say). */
  summary?: (page: LedgerPage<R> | undefined) => ReactNode;
  emptyText: string;
  showTotal?: (page: LedgerPage<R>) => string;
  columns: TableColumnsType<R>;
  /** The record's drawer; `id` null when closed. */
  drawer: (id: number | null, onClose: () => void) => ReactNode;
  /** Registering a new record (absent: the user may not). */
  create?: { label: string; form: (onClose: () => void, onSaved: (id: number) => void) => ReactNode };
}) {
  const [filters, setFilters] = useState<F>({ page: 1, pageSize: 20, year: THIS_YEAR } as F);
  const [open, setOpen] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const q = props.useList(filters);
  const set = (patch: Partial<F>) => setFilters((f) => ({ ...f, ...patch, page: 1 }));
  const { showTotal } = props;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <PageHeader title={props.title}>
        {props.create && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            data-testid={`${props.testId}-new`}
          >
            {props.create.label}
          </Button>
        )}
        <ExportButton
          path={props.exportPath}
          query={{ ...filters, page: undefined, pageSize: undefined }}
          testId={`${props.testId}-export`}
        />
        <PrintButton testId={`${props.testId}-print`} />
      </PageHeader>
      <Space wrap className="xn-no-print">
        <Input.Search
          allowClear
          placeholder={props.searchPlaceholder}
          style={{ width: 240 }}
          onSearch={(v) => set({ q: v || undefined } as Partial<F>)}
          data-testid={`${props.testId}-search`}
        />
        <YearSelect value={filters.year} onChange={(year) => set({ year } as Partial<F>)} />
        {props.filters?.(filters, set)}
      </Space>
      {props.summary?.(q.data)}
      <Table<R>
        rowKey="id"
        size="small"
        loading={q.isLoading}
        dataSource={q.data?.rows}
        locale={{ emptyText: props.emptyText }}
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total: q.data?.total,
          showSizeChanger: true,
          showTotal: showTotal && q.data ? () => showTotal(q.data!) : undefined,
          onChange: (page, pageSize) => setFilters((f) => ({ ...f, page, pageSize })),
        }}
        columns={props.columns}
      />
      {props.drawer(open, () => setOpen(null))}
      {creating && props.create?.form(() => setCreating(false), setOpen)}
    </Space>
  );
}
