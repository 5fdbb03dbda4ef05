import type { Lineage } from '@meshboard/client';

/** Sizes of the lineage drawing (SVG user units). */
export const lineageBox = { nodeWidth: 180, nodeHeight: 46, columnGap: 64, rowGap: 18, margin: 12 } as const;

/** A node placed on the canvas. */
export interface PlacedNode {
  node: Lineage['nodes'][number];
  x: number;
  y: number;
}

/** An edge as an SVG path between two placed nodes. */
export interface PlacedEdge {
  edge: Lineage['edges'][number];
  path: string;
}

/**
 * Layered layout: one column per level (upstream left, the product in the middle column, downstream
 * right), nodes in a column ordered by name; edges are cubic curves from a node's right side to the
 * next node's left side (an edge inside one column bends out to the right).
 */
export function layoutLineage(lineage: Lineage): { nodes: PlacedNode[]; edges: PlacedEdge[]; width: number; height: number } {
  const { nodeWidth, nodeHeight, columnGap, rowGap, margin } = lineageBox;
  const levels = [...new Set(lineage.nodes.map((node) => node.level))].sort((a, b) => a - b);
  const columns = new Map(levels.map((level, index) => [level, index]));
  const rows = new Map<number, number>();
  const placed = new Map<string, PlacedNode>();
  for (const node of [...lineage.nodes].sort((a, b) => a.level - b.level || a.name.localeCompare(b.name))) {
    const row = rows.get(node.level) ?? 0;
    rows.set(node.level, row + 1);
    placed.set(node.id, { node, x: margin + (columns.get(node.level) ?? 0) * (nodeWidth + columnGap), y: margin + row * (nodeHeight + rowGap) });
  }
  const tallest = Math.max(1, ...rows.values());
  const height = margin * 2 + tallest * nodeHeight + (tallest - 1) * rowGap;
  // Centre shorter columns vertically.
  for (const [level, count] of rows) {
    const offset = (height - margin * 2 - (count * nodeHeight + (count - 1) * rowGap)) / 2;
    for (const item of placed.values()) if (item.node.level === level) item.y += offset;
  }
  const edges = lineage.edges.flatMap((edge) => {
    const from = placed.get(edge.from);
    const to = placed.get(edge.to);
    if (from === undefined || to === undefined) return [];
    const y1 = from.y + nodeHeight / 2;
    const y2 = to.y + nodeHeight / 2;
    if (from.x === to.x) {
      const x = from.x + nodeWidth;
      return [{ edge, path: `M${x},${y1} C${x + columnGap * 0.6},${y1} ${x + columnGap * 0.6},${y2} ${x},${y2}` }];
    }
    const x1 = from.x < to.x ? from.x + nodeWidth : from.x;
    const x2 = from.x < to.x ? to.x : to.x + nodeWidth;
    const bend = (x2 - x1) / 2;
    return [{ edge, path: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}` }];
  });
  const width = margin * 2 + levels.length * nodeWidth + Math.max(0, levels.length - 1) * columnGap + (lineage.edges.some((edge) => placed.get(edge.from)?.x === placed.get(edge.to)?.x) ? columnGap : 0);
  return { nodes: [...placed.values()], edges, width, height };
}
