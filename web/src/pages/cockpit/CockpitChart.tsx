import { BarChart, LineChart, MapChart } from 'echarts/charts';
import { GeoComponent, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// The cockpit's charts: lines, bars and the offline street map (a GeoJSON the server ships; no map tiles).
echarts.use([
  BarChart,
  LineChart,
  MapChart,
  GeoComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export type CockpitChartOption = echarts.EChartsCoreOption;

/** Registers the district's street map under `name` (once). */
export function registerStreetMap(name: string, geo: object): void {
  if (!echarts.getMap(name)) echarts.registerMap(name, geo as Parameters<typeof echarts.registerMap>[1]);
}

/** An ECharts canvas filling its box; `onClick` receives the clicked item's name and data. */
export function CockpitChart({
  option,
  testId,
  onClick,
}: {
  option: CockpitChartOption;
  testId?: string;
  onClick?: (p: { name: string; data: unknown; seriesIndex?: number }) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const click = useRef(onClick);
  click.current = onClick;
  useEffect(() => {
    if (!ref.current) return;
    const c = echarts.init(ref.current);
    chart.current = c;
    c.on('click', (p) => click.current?.(p as { name: string; data: unknown; seriesIndex?: number }));
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(ref.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);
  return <div ref={ref} style={{ width: '100%', height: '100%', minHeight: 80 }} data-testid={testId} />;
}
