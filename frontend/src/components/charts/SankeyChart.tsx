'use client';

import { Layer, Rectangle, ResponsiveContainer, Sankey, Tooltip, type SankeyNodeProps } from 'recharts';
import { OUTCOME_COLORS, seriesColor } from './palette';
import { count } from './format';

export interface SankeyNodeDatum {
  name: string;
  kind: 'channel' | 'step' | 'outcome' | 'other';
}

export interface SankeyLinkDatum {
  source: number;
  target: number;
  value: number;
}

function nodeColor(node: SankeyNodeDatum, index: number): string {
  if (node.kind === 'outcome') return OUTCOME_COLORS[node.name] ?? '#5b6662';
  if (node.kind === 'other') return '#b9c1bd';
  if (node.kind === 'channel') return seriesColor(1 + (index % 5));
  return seriesColor(0);
}

/** Flows from first touch through the steps taken to an outcome; node labels sit beside their bars. */
export function SankeyChart({ nodes, links }: { nodes: SankeyNodeDatum[]; links: SankeyLinkDatum[] }) {
  const renderNode = (props: SankeyNodeProps) => {
    const { x, y, width, height, index, payload } = props;
    const node = nodes[index]!;
    const last = node.kind === 'outcome';
    const value = (payload as unknown as { value?: number }).value ?? 0;
    return (
      <Layer key={`node-${index}`}>
        <Rectangle
          x={x}
          y={y}
          width={width}
          height={height}
          fill={nodeColor(node, index)}
          fillOpacity={0.95}
        />
        <text
          x={last ? x - 6 : x + width + 6}
          y={y + height / 2}
          textAnchor={last ? 'end' : 'start'}
          dominantBaseline="middle"
          fontSize={12}
          fill="#1b2321"
        >
          {node.name}
          <tspan fill="#5b6662"> {count(value)}</tspan>
        </text>
      </Layer>
    );
  };
  return (
    <ResponsiveContainer width="100%" height={Math.max(320, Math.min(640, nodes.length * 26))}>
      <Sankey
        data={{ nodes, links }}
        nodePadding={14}
        nodeWidth={10}
        linkCurvature={0.5}
        iterations={64}
        margin={{ top: 8, right: 120, bottom: 8, left: 8 }}
        node={renderNode}
        link={{ stroke: '#1f5f52', strokeOpacity: 0.18 }}
      >
        <Tooltip />
      </Sankey>
    </ResponsiveContainer>
  );
}
