import { Tooltip } from 'antd';
import { LIGHT_REASONS, LIGHTS } from './supervisionData';

/** A task's warning light with its reasons as a tooltip. */
export function TaskLight({ light, reasons }: { light: 'green' | 'yellow' | 'red' | null; reasons: string[] }) {
  if (!light) return <span style={{ color: '#bbb' }}>—</span>;
  const title = [LIGHTS[light].label(), ...reasons.map((r) => LIGHT_REASONS[r]?.() ?? r)].join('：');
  return (
    <Tooltip title={title}>
      <span
        data-testid={`sup-light-${light}`}
        style={{
          display: 'inline-block',
          width: 12,
          height: 12,
          borderRadius: '50%',
          background: LIGHTS[light].color,
          boxShadow: `0 0 4px ${LIGHTS[light].color}`,
        }}
      />
    </Tooltip>
  );
}
