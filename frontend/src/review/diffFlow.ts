/** Base and head drawn together, keyed by element id: added green, removed as red ghosts where they were,
 * changed amber; the view chooses which drawing shows and whether unchanged elements fade. Pure. */

import type { Edge, Node } from "@xyflow/react";

import type { Drawing } from "../canvas/flow";
import type { DiffView, ElementChange } from "./types";

export interface DiffFlow {
  nodes: Node[];
  edges: Edge[];
}

/** The class an element gets: its status, or `diff-same` (faded in the "only changes" view). */
export function diffClass(status: string | undefined, view: DiffView): string {
  if (!status) return view === "changes" ? "diff-same diff-faded" : "diff-same";
  return `diff-${status === "moved" ? "changed" : status}`;
}

function absolute(node: Node, drawing: Drawing): { x: number; y: number } {
  const box = node.parentId ? drawing.racks.get(node.parentId) : undefined;
  return box ? { x: box.x + node.position.x, y: box.y + node.position.y } : node.position;
}

function mark<T extends Node | Edge>(item: T, status: string | undefined, view: DiffView, extra = ""): T {
  const classes = [item.className, diffClass(status, view), extra].filter(Boolean).join(" ");
  return { ...item, className: classes, selectable: true, draggable: false, data: { ...item.data, diffStatus: status ?? "same" } };
}

/**
 * The nodes and edges of the canvas diff. `base` and `head` are the two documents drawn by the canvas's own
 * drawing code; `changes` is the server's element diff. Cables and attachment lines take their element's
 * status; an attachment line counts as changed when the network it leads to changed.
 */
export function diffFlow(base: Drawing, head: Drawing, changes: ElementChange[], view: DiffView): DiffFlow {
  const status = new Map(changes.map((change) => [change.id, change.status]));
  const shown = view === "base" ? base : head;
  const headIds = new Set(head.nodes.map((node) => node.id));
  const baseIds = new Set(base.nodes.map((node) => node.id));
  const nodes: Node[] = [];
  for (const node of shown.nodes) {
    const own = status.get(node.id);
    // In the base view, what the head adds is not there yet, and what it removes is marked where it stands.
    nodes.push(mark(node, view === "base" && own === "added" ? undefined : own, view));
  }
  const edges: Edge[] = [...shown.cables, ...shown.relations].map((edge) =>
    mark(edge, status.get(edge.id) ?? relationStatus(edge, status), view));
  if (view !== "base" && view !== "head") {
    // Removed elements stay as ghosts where they were in the base; a ghost device leaves its removed rack behind.
    for (const node of base.nodes) {
      if (headIds.has(node.id)) continue;
      const { parentId: _parent, extent: _extent, ...free } = node;
      nodes.push(mark({ ...free, position: absolute(node, base) }, "removed", view, "diff-ghost"));
    }
    const present = new Set([...headIds, ...baseIds]);
    const headEdges = new Set(edges.map((edge) => edge.id));
    for (const edge of [...base.cables, ...base.relations]) {
      if (headEdges.has(edge.id) || !present.has(edge.source) || !present.has(edge.target)) continue;
      edges.push(mark(edge, "removed", view, "diff-ghost"));
    }
  }
  // React Flow draws a child after its parent: racks first.
  nodes.sort((a, b) => Number(a.type !== "rack") - Number(b.type !== "rack"));
  return { nodes, edges };
}

/** Elements that comment threads are about get the `has-threads` class and their count, for a badge. */
export function withThreads(flow: DiffFlow, threads: Map<string, number>): DiffFlow {
  if (threads.size === 0) return flow;
  const mark = <T extends Node | Edge>(item: T): T => {
    const count = threads.get(item.id);
    return count ? { ...item, className: `${item.className ?? ""} has-threads`, data: { ...item.data, threads: count } } : item;
  };
  return { nodes: flow.nodes.map(mark), edges: flow.edges.map(mark) };
}

function relationStatus(edge: Edge, status: Map<string, string>): string | undefined {
  return edge.className?.includes("relation") ? status.get(edge.target) : undefined;
}

/** "nics[swp2].mtu: 9216 → 9100" lines for an element's hover card. */
export function describeFields(change: ElementChange | undefined): string[] {
  if (!change) return [];
  if (change.status === "added" || change.status === "removed") return [`${change.name} ${change.status}`];
  return change.fields.map((field) => `${field.path}: ${shown(field.old)} → ${shown(field.new)}`);
}

function shown(value: unknown): string {
  if (value === null || value === undefined) return "—";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}
