/** Auto-layout with ELK's layered algorithm: tiers top to bottom (spines, then leaves, borders and gateways, then
 * hosts), racks as frames holding their devices, ports on the side facing their peers, the document's order kept;
 * networks and meshes as buses below the devices they serve (or between two tiers that share one). */

import type { ElkExtendedEdge, ElkNode, ElkPort, LayoutOptions } from "elkjs/lib/elk-api";

import { listOf } from "../document/elements";
import { addElement, connect } from "../document/operations";
import type { DesignDocument, Device, Position, Rack } from "../document/types";
import { arrangeRows } from "./rows";
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
  "elk.layered.thoroughness": "1",
  "elk.edgeRouting": "POLYLINE",
};

const ELK_SIDE: Record<Side, string> = { top: "NORTH", bottom: "SOUTH", left: "WEST", right: "EAST" };

/** Partitions order the layers: a tier's devices (and the racks whose lowest tier it is), then the buses under it. */
const TIER_PARTITION = 100;
const LAST_PARTITION = 10_000;

function partition(value: number): LayoutOptions {
  return { "elk.partitioning.partition": String(value) };
}

const portId = (device: string, nic: string) => `${device}\u0000${nic}`;

// A link within a tier runs sideways between two neighbours: each end stands this far out of its device, so ELK
// leaves room between them for the cable and its label.
const PEER_LINK_ROOM = 60;

/** A device as ELK sees it: its size, the ports a cable of its graph uses on the side they face, and its sideways
 * ports standing out to keep its neighbours at a distance. */
function deviceNode(scene: Scene, device: Device, cabled: Set<string>): ElkNode {
  const { shape } = scene.devices.get(device.id)!;
  const sideways = (side: Side) => side === "left" || side === "right";
  const ports: ElkPort[] = shape.ports.filter((port) => cabled.has(portId(device.id, port.nic)) || sideways(port.side))
    .map((port) => ({
      id: portId(device.id, port.nic), width: sideways(port.side) ? PORT_ROW : port.width, height: PORT_ROW,
      layoutOptions: { "elk.port.side": ELK_SIDE[port.side], ...(sideways(port.side) ? { "elk.port.borderOffset": String(PEER_LINK_ROOM) } : {}) },
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
  // Ports no cable of the graph uses change nothing in ELK's layout, and cost it time: they are left out.
  const cabled = new Set([...edges.values()].flat().flatMap((edge) => [...edge.sources, ...edge.targets]));
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
      children: inside.map((device) => deviceNode(scene, device, cabled)),
      edges: edges.get(rack.id),
    };
  });
  for (const device of devices.filter((candidate) => topLevel(candidate) === candidate.id)) {
    topPartition.set(device.id, tierOf(device) * TIER_PARTITION);
    children.push(deviceNode(scene, device, cabled));
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
  return arrangeRows(await elk.layout(layoutGraph(doc, scene)), scene);
}

type Elk = { layout: (graph: ElkNode) => Promise<ElkNode> };

let worker: Promise<Elk> | null = null;

/** ELK in a web worker, loaded when first needed and kept: the canvas keeps drawing while a large design is
 * laid out, and only the first layout pays for starting ELK. */
function elkWorker(): Promise<Elk> {
  worker ??= Promise.all([import("elkjs/lib/elk-api.js"), import("elkjs/lib/elk-worker.min.js?url")])
    .then(([{ default: ELK }, { default: workerUrl }]) => new ELK({ workerUrl }));
  return worker;
}

/** Lay the whole design out. */
export async function autoLayout(doc: DesignDocument): Promise<{ id: string; position: Position }[]> {
  return layoutWith(await elkWorker(), doc);
}

/** A rack with a leaf and a server cabled to it, and a network: enough to take ELK through every step it runs. */
function sample(): DesignDocument {
  let doc: DesignDocument = { version: 1, name: "sample" };
  for (const [key, rack] of [["rack", undefined], ["leaf", "rack1"], ["proxmox", "rack1"], ["network", undefined]] as const) {
    doc = addElement(doc, key, { x: 0, y: 0 }, rack).doc;
  }
  return connect(doc, { device: "pve1", interface: "enp1s0f0" }, { device: "leaf1", interface: "swp1" }).doc;
}

/** Start ELK and lay a small sample out while the browser is idle, so the first real layout runs warm. */
export function warmLayout(): void {
  const start = () => void autoLayout(sample()).catch(() => { /* the real layout will say what is wrong */ });
  if ("requestIdleCallback" in window) window.requestIdleCallback(start, { timeout: 5000 });
  else setTimeout(start, 1000);
}
