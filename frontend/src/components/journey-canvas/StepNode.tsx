'use client';

import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { CANVAS_TRIGGER_TYPE } from '@cairn/workflows';
import { kindInfo, outputsOf, summaryOf, type Data } from './catalog';
import { useCanvasInfo } from './context';
import { NodeIcon } from './NodeIcon';

/** Every node on the canvas: icon, name, one-line summary, one handle per output, errors and live counts. */
function StepNodeView({ id, type, data, selected }: NodeProps) {
  const info = useCanvasInfo();
  const d = data as Data;
  const kind = kindInfo(type);
  const outputs = outputsOf(type, d);
  const errors = info.errors.get(id) ?? [];
  const stats = info.stats?.get(id);
  const isTrigger = type === CANVAS_TRIGGER_TYPE;
  const label = typeof d['label'] === 'string' && d['label'] ? d['label'] : (kind?.name ?? type);
  return (
    <div
      className={`jc-node jc-node--${kind?.group.toLowerCase() ?? 'flow'}${selected ? ' jc-node--selected' : ''}${errors.length ? ' jc-node--invalid' : ''}`}
      data-testid={`node-${id}`}
      aria-label={`${kind?.name ?? type} ${label}${errors.length ? `, ${errors.length} problem(s)` : ''}`}
    >
      {!isTrigger ? (
        <Handle type="target" position={Position.Left} className="jc-handle jc-handle--in" />
      ) : null}
      <div className="jc-node__head">
        <span className="jc-node__icon">
          <NodeIcon type={type ?? ''} />
        </span>
        <span className="jc-node__title">
          <span className="jc-node__kind">{kind?.name ?? type}</span>
          <span className="jc-node__label">{label !== kind?.name ? label : id}</span>
        </span>
        {errors.length ? (
          <span className="jc-node__error" title={errors.map((e) => e.message).join('\n')}>
            !
          </span>
        ) : null}
      </div>
      <div className="jc-node__summary">{summaryOf(type, d, info)}</div>
      {stats ? (
        <div className="jc-node__stats" data-testid={`node-stats-${id}`}>
          <span title="Entered" data-stat="entered">
            ↳ {stats.entered}
          </span>
          <span title="Waiting here now" data-stat="waiting">
            ⏸ {stats.waiting}
          </span>
          <span title="Converted after this step" data-stat="converted">
            ✓ {stats.converted}
          </span>
        </div>
      ) : null}
      {outputs.length ? (
        <div className="jc-node__outputs">
          {outputs.map((o) => (
            <div key={o.id} className="jc-node__output">
              {o.label ? <span className="jc-node__output-label">{o.label}</span> : null}
              <Handle
                type="source"
                id={o.id}
                position={Position.Right}
                className="jc-handle jc-handle--out"
                data-testid={`handle-${id}-${o.id}`}
              />
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
}

export const StepNode = memo(StepNodeView);
