import type { Lineage } from '@meshboard/client';
import { describe, expect, it } from 'vitest';
import { layoutLineage, lineageBox } from './lineageLayout';

const node = (id: string, level: number): Lineage['nodes'][number] => ({ id, kind: 'product', name: id, externalId: id, contractId: null, domainId: 'd', status: 'active', level });

describe('layoutLineage', () => {
  const lineage: Lineage = {
    rootId: 'root',
    depth: 2,
    truncated: false,
    nodes: [node('root', 0), node('b-up', -1), node('a-up', -1), node('down', 1), node('down-2', 1)],
    edges: [
      { from: 'a-up', to: 'root', contractExternalId: 'c1', inputPort: 'p1' },
      { from: 'root', to: 'down', contractExternalId: 'c2', inputPort: 'p2' },
      { from: 'down', to: 'down-2', contractExternalId: 'c3', inputPort: 'p3' },
      { from: 'ghost', to: 'root', contractExternalId: 'c4', inputPort: 'p4' },
    ],
  };
  const layout = layoutLineage(lineage);
  const at = (id: string) => layout.nodes.find((placed) => placed.node.id === id);

  it('puts one column per level, upstream left, and orders a column by name', () => {
    expect(at('a-up')?.x).toBe(at('b-up')?.x);
    expect((at('a-up')?.x ?? 0) < (at('root')?.x ?? 0)).toBe(true);
    expect((at('root')?.x ?? 0) < (at('down')?.x ?? 0)).toBe(true);
    expect((at('a-up')?.y ?? 0) < (at('b-up')?.y ?? 0)).toBe(true);
  });

  it('centres a shorter column and sizes the canvas to the tallest one', () => {
    expect(layout.height).toBe(lineageBox.margin * 2 + 2 * lineageBox.nodeHeight + lineageBox.rowGap);
    expect(at('root')?.y).toBe(lineageBox.margin + (lineageBox.nodeHeight + lineageBox.rowGap) / 2);
  });

  it('draws edges between placed nodes only, bending an edge inside one column out to the right', () => {
    expect(layout.edges.map((placed) => placed.edge.contractExternalId)).toEqual(['c1', 'c2', 'c3']);
    const sameColumn = layout.edges.find((placed) => placed.edge.contractExternalId === 'c3');
    const right = (at('down')?.x ?? 0) + lineageBox.nodeWidth;
    expect(sameColumn?.path.startsWith(`M${right},`)).toBe(true);
    expect(layout.width).toBeGreaterThan(3 * lineageBox.nodeWidth + 2 * lineageBox.columnGap);
  });
});
