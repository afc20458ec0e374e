/** Auto-layout with ELK's layered algorithm: tiers top to bottom (spines, then leaves, borders and gateways, then
 * hosts), racks as frames holding their devices, ports on the side facing their peers, the document's order kept;
 * networks and meshes as buses below the devices they serve (or between two tiers that share one). */

import type { ElkExtendedEdge, ElkNode, ElkPort, LayoutOptions } from "elkjs/lib/elk-api";

import { listOf } from "../document/elements";
import type { DesignDocument, Device, Position, Rack } from "../document/types";
import { arrange } from "./bands";
import { PORT_ROW, RACK_PADDING } from "./geometry";
import type { Side } from "./ports";
import { sceneOf, type Scene } from "./scene";
import { tierOf } from "./tiers";

// Every graph (the design, each rack) is laid out on its own with these: a rack is laid out inside, then placed
// as a box, so each keeps the document's order of its devices.
const OPTIONS: LayoutOptions = {
  "elk.algorithm": "layered",
  "elk.direction": "DOWN",
  "elk.partitioning.activate": "true",
  "elk.separateConnectedComponents": "false",
  "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
  "elk.layered.crossingMinimization.forceNodeModelOrder": "true",
  "elk.spacing.nodeNode": "40",
  "elk.layered.spacing.nodeNodeBetweenLayers": "90",
  "elk.layered.thoroughness": "4",
  "elk.edgeRouting": "POLYLINE",
};

const ELK_SIDE: Record<Side, string> = { top: "NORTH", bottom: "SOUTH", left: "WEST", right: "EAST" };

/** Partitions order the layers: a tier's devices (and the racks whose lowest tier it is), then the buses under it. */
const TIER_PARTITION = 100;
const LAST_PARTITION = 10_000;

function partition(value: number): LayoutOptions {
  return { "elk.partitioning.partition": String(value) };
}

export const portId = (device: string, nic: string) => `${device}\u0000${nic}`;

function deviceNode(scene: Scene, device: Device): ElkNode {
  const { shape } = scene.devices.get(device.id)!;
  const ports: ElkPort[] = shape.ports.map((port) => ({
    id: portId(device.id, port.nic), width: port.side === "top" || port.side === "bottom" ? port.width : PORT_ROW,
    height: port.side === "top" || port.side === "bottom" ? PORT_ROW : port.width,
    layoutOptions: { "elk.port.side": ELK_SIDE[port.side] },
  }));
  return { id: device.id, width: shape.width, height: shape.height, ports,
    layoutOptions: { "elk.portConstraints": "FIXED_SIDE", ...partition(tierOf(device) * TIER_PARTITION) } };
}

/** The ELK graph of a design: racks holding their devices and cables, buses and VRFs as boxes placed by partition. */
export function layoutGraph(doc: DesignDocument, scene: Scene = sceneOf(doc)): ElkNode {
  const devices = listOf<Device>(doc, "devices");
  const byId = new Map(devices.map((device) => [device.id, device]));
  const racks = listOf<Rack>(doc, "racks");
  const rackIds = new Set(racks.map((rack) => rack.id));
  const topLevel = (device: Device) => (device.rack !== undefined && rackIds.has(device.rack) ? device.rack : device.id);
  const edges = new Map<string, ElkExtendedEdge[]>(["", ...rackIds].map((graph) => [graph, []]));
  for (const { link } of scene.cables) {
    const [a, b] = [byId.get(link.a.device)!, byId.get(link.b.device)!];
    const graph = topLevel(a) === a.id && topLevel(b) === b.id ? "" : topLevel(a) === topLevel(b) ? topLevel(a) : null;
    // A peer link within a tier would push one peer a layer down; a cable out of a rack has no place in one graph.
    if (graph === null || tierOf(a) === tierOf(b)) continue;
    const [upper, lower] = tierOf(a) < tierOf(b) ? [link.a, link.b] : [link.b, link.a];
    edges.get(graph)!.push({ id: link.id, sources: [portId(upper.device, upper.interface)], targets: [portId(lower.device, lower.interface)] });
  }
  const topPartition = new Map<string, number>();
  const children: ElkNode[] = racks.map((rack) => {
    const inside = devices.filter((device) => device.rack === rack.id);
    topPartition.set(rack.id, Math.max(...inside.map(tierOf), inside.length ? 0 : 2) * TIER_PARTITION);
    return {
      id: rack.id,
      layoutOptions: {
        ...OPTIONS, ...partition(topPartition.get(rack.id)!),
        "elk.padding": `[top=${RACK_PADDING.top},left=${RACK_PADDING.side},bottom=${RACK_PADDING.bottom},right=${RACK_PADDING.side}]`,
      },
      children: inside.map((device) => deviceNode(scene, device)),
      edges: edges.get(rack.id),
    };
  });
  for (const device of devices.filter((candidate) => topLevel(candidate) === candidate.id)) {
    topPartition.set(device.id, tierOf(device) * TIER_PARTITION);
    children.push(deviceNode(scene, device));
  }
  let busIndex = 0;
  for (const { bus, box } of scene.buses.values()) {
    busIndex += 1;
    const members = [...new Set(bus.members)].flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
    const partitions = [...new Set(members.map((device) => topPartition.get(topLevel(device))!))].sort((a, b) => a - b);
    // A bus shared by two tiers of unracked devices runs between them (gateways above, their clients below).
    const between = partitions.length === 2 && members.every((device) => topLevel(device) === device.id);
    const under = partitions.length ? (between ? partitions[0] : partitions[partitions.length - 1]) : LAST_PARTITION - TIER_PARTITION;
    children.push({ id: bus.id, width: Math.min(box.width, 240), height: box.height, layoutOptions: partition(under + busIndex) });
  }
  for (const { vrf, box } of scene.vrfs.values()) {
    children.push({ id: vrf.id, width: box.width, height: box.height, layoutOptions: partition(LAST_PARTITION) });
  }
  return { id: "design", layoutOptions: OPTIONS, children, edges: edges.get("") };
}

/** Positions from any ELK instance: the worker in the browser, the bundled one in tests. */
export async function layoutWith(elk: { layout: (graph: ElkNode) => Promise<ElkNode> },
  doc: DesignDocument): Promise<{ id: string; position: Position }[]> {
  const scene = sceneOf(doc);
  return arrange(await elk.layout(layoutGraph(doc, scene)), scene);
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
