/** Auto-layout with ELK: switches above servers, racks kept together, networks below what they serve. */

import type { ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api";

import { listOf } from "../document/elements";
import { relationsOf } from "../document/relations";
import { OVERLAY_COLLECTIONS, type DesignDocument, type Device, type Link, type Position, type Rack } from "../document/types";
import { arrangeInBands } from "./bands";
import { RELATION_EDGE_LIMIT } from "./flow";
import { deviceSize, NETWORK_SIZE, RACK_PADDING } from "./geometry";

// Layers from the top of the drawing down; a cable is laid out as pointing down these layers.
const RANK: Record<string, number> = { spine: 0, border: 1, gateway: 1, router: 1, leaf: 2, hypervisor: 3, host: 3 };

const OPTIONS = {
  "elk.algorithm": "layered",
  "elk.direction": "DOWN",
  "elk.hierarchyHandling": "INCLUDE_CHILDREN",
  "elk.spacing.nodeNode": "40",
  "elk.layered.spacing.nodeNodeBetweenLayers": "60",
  "elk.layered.thoroughness": "2",
  "elk.edgeRouting": "POLYLINE",
};

/** The ELK graph of a design: racks as boxes holding their devices, every tie as an edge. */
export function layoutGraph(doc: DesignDocument): ElkNode {
  const devices = listOf<Device>(doc, "devices");
  const rank = new Map(devices.map((device) => [device.id, RANK[device.role] ?? 3]));
  const racks = new Set(listOf<Rack>(doc, "racks").map((rack) => rack.id));
  const deviceNode = (device: Device): ElkNode => ({ id: device.id, ...deviceSize(device) });
  const children: ElkNode[] = listOf<Rack>(doc, "racks").map((rack) => ({
    id: rack.id,
    layoutOptions: {
      "elk.padding": `[top=${RACK_PADDING.top},left=${RACK_PADDING.side},bottom=${RACK_PADDING.bottom},right=${RACK_PADDING.side}]`,
    },
    children: devices.filter((device) => device.rack === rack.id).map(deviceNode),
  }));
  children.push(...devices.filter((device) => device.rack === undefined || !racks.has(device.rack)).map(deviceNode));
  const relations = relationsOf(doc);
  // Every VNI on every node is thousands of edges that cost ELK minutes and change little: past the
  // limit the canvas does not draw them either, and networks simply go in the bottom layer.
  const withRelations = relations.length <= RELATION_EDGE_LIMIT;
  const bottom = withRelations ? {} : { layoutOptions: { "elk.layered.layering.layerConstraint": "LAST" } };
  for (const collection of OVERLAY_COLLECTIONS) {
    children.push(...listOf<{ id: string }>(doc, collection).map((element) => ({ id: element.id, ...NETWORK_SIZE, ...bottom })));
  }
  const edges: ElkExtendedEdge[] = listOf<Link>(doc, "links").map((link) => {
    const [upper, lower] = (rank.get(link.a.device) ?? 3) <= (rank.get(link.b.device) ?? 3)
      ? [link.a.device, link.b.device] : [link.b.device, link.a.device];
    return { id: link.id, sources: [upper], targets: [lower] };
  });
  for (const relation of withRelations ? relations : []) {
    edges.push({ id: relation.id, sources: [relation.source], targets: [relation.target] });
  }
  return { id: "design", layoutOptions: OPTIONS, children, edges };
}

/** Absolute positions of every laid-out element, from ELK's positions relative to their parent. */
export function positionsFrom(graph: ElkNode, origin: Position = { x: 0, y: 0 }): { id: string; position: Position }[] {
  const out: { id: string; position: Position }[] = [];
  for (const child of graph.children ?? []) {
    const position = { x: origin.x + (child.x ?? 0), y: origin.y + (child.y ?? 0) };
    out.push({ id: child.id, position });
    out.push(...positionsFrom(child, position));
  }
  return out;
}

/** Positions from any ELK instance: the worker in the browser, the bundled one in tests. */
export async function layoutWith(elk: { layout: (graph: ElkNode) => Promise<ElkNode> },
  doc: DesignDocument): Promise<{ id: string; position: Position }[]> {
  return positionsFrom(arrangeInBands(await elk.layout(layoutGraph(doc)), doc));
}

/**
 * Lay the whole design out. ELK is loaded only when someone asks for a layout, and runs in a worker so
 * the canvas keeps drawing while a large design is laid out.
 */
export async function autoLayout(doc: DesignDocument): Promise<{ id: string; position: Position }[]> {
  const [{ default: ELK }, { default: workerUrl }] = await Promise.all([
    import("elkjs/lib/elk-api.js"), import("elkjs/lib/elk-worker.min.js?url")]);
  const elk = new ELK({ workerUrl });
  try {
    return await layoutWith(elk, doc);
  } finally {
    elk.terminateWorker();
  }
}
