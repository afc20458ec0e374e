/** The document, its live plan and findings turned into the nodes and edges React Flow draws. */

import type { Edge, Node } from "@xyflow/react";

import { listOf } from "../document/elements";
import { relationsOf } from "../document/relations";
import {
  OVERLAY_COLLECTIONS,
  type DesignDocument,
  type Device,
  type Link,
  type Network,
  type OverlayCollection,
  type Position,
  type Rack,
  type Vrf,
  type WireguardMesh,
} from "../document/types";
import { marksKey, type Marks } from "../editor/findings";
import type { LivePlan, PlannedDevice } from "../server/types";
import { NETWORK_SIZE, rackBox, type Box } from "./geometry";

export interface DeviceData extends Record<string, unknown> {
  device: Device;
  planned: PlannedDevice | undefined;
  /** Changes when what the node shows of the plan changes: a new answer with the same values re-renders nothing. */
  plannedKey: string;
  marks: Marks | undefined;
  marksKey: string;
  chosenPorts: string[];
  cabled: Set<string>;
}

export interface RackData extends Record<string, unknown> {
  rack: Rack;
  marks: Marks | undefined;
  marksKey: string;
}

export interface OverlayData extends Record<string, unknown> {
  kind: "network" | "vrf" | "mesh";
  element: Network | Vrf | WireguardMesh;
  detail: string;
  marks: Marks | undefined;
  marksKey: string;
}

export interface CableData extends Record<string, unknown> {
  /** The planned MTUs of the two ends, or their mismatch; empty before the plan. */
  mtu: string;
  /** Whether the MTU is written on the cable when it is not selected. */
  labelled: boolean;
  marks: Marks | undefined;
  marksKey: string;
  subnet: string | null;
}

export interface Flow {
  nodes: Node[];
  edges: Edge[];
  racks: Map<string, Box>;
}

/** Everything drawn whatever is selected: built again only when the document, plan, marks or chosen ports change. */
export interface Drawing {
  nodes: Node[];
  cables: Edge[];
  relations: Edge[];
  racks: Map<string, Box>;
}

export interface DrawingInput {
  doc: DesignDocument;
  plan: LivePlan | null;
  marks: Map<string, Marks>;
  ports: { device: string; nics: string[] } | null;
}

/** Elements drawn before anyone placed them go in rows below everything else. */
function fallback(index: number, row: number): Position {
  return { x: (index % 8) * 260, y: 1200 + row * 400 + Math.floor(index / 8) * 240 };
}

const OVERLAYS: Record<OverlayCollection, {
  kind: OverlayData["kind"]; row: number; detail: (element: never, vnis: Record<string, number>) => string;
}> = {
  networks: {
    kind: "network", row: 3,
    detail: (network: Network, vnis) => {
      const planned = vnis[network.id];
      const members = `${(network.attach ?? []).length} attached`;
      if (network.vni === "auto") return `${planned !== undefined ? `VNI ${planned} (auto)` : "VNI auto"} · ${members}`;
      return `${network.vni !== undefined ? `VNI ${network.vni}` : "VLAN network"} · ${members}`;
    },
  },
  vrfs: {
    kind: "vrf", row: 4,
    detail: (vrf: Vrf) => (vrf.l3vni !== undefined && vrf.l3vni !== null ? `L3 VNI ${vrf.l3vni}` : "VRF"),
  },
  wireguard: { kind: "mesh", row: 5, detail: (mesh: WireguardMesh) => `${(mesh.members ?? []).length} members` },
};

export function drawDocument({ doc, plan, marks, ports }: DrawingInput): Drawing {
  const nodes: Node[] = [];
  const devices = listOf<Device>(doc, "devices");
  // The document's own device objects go in the nodes, so an unchanged device is recognised as such.
  const unplaced = new Map<string, Position>();
  devices.forEach((device, index) => {
    if (!device.position) unplaced.set(device.id, fallback(index, 0));
  });
  const placed = (device: Device): Position => device.position ?? unplaced.get(device.id)!;
  const racks = new Map<string, Box>();
  const byRack = new Map<string, Device[]>();
  for (const device of devices) {
    if (device.rack !== undefined) byRack.set(device.rack, [...(byRack.get(device.rack) ?? []), device]);
  }
  listOf<Rack>(doc, "racks").forEach((rack, index) => {
    const box = rackBox(rack.position ?? fallback(index, 2), byRack.get(rack.id) ?? [], placed);
    racks.set(rack.id, box);
    const rackMarks = marks.get(rack.id);
    nodes.push({
      id: rack.id, type: "rack", position: { x: box.x, y: box.y }, selected: false,
      style: { width: box.width, height: box.height }, width: box.width, height: box.height,
      data: { rack, marks: rackMarks, marksKey: marksKey(rackMarks) } satisfies RackData,
      dragHandle: ".rack-head", zIndex: -1,
    });
  });
  const cabled = new Map<string, Set<string>>();
  for (const link of listOf<Link>(doc, "links")) {
    for (const end of [link.a, link.b]) cabled.set(end.device, (cabled.get(end.device) ?? new Set()).add(end.interface));
  }
  for (const device of devices) {
    const box = device.rack !== undefined ? racks.get(device.rack) : undefined;
    const at = placed(device);
    const deviceMarks = marks.get(device.id);
    const planned = plan?.devices[device.id];
    nodes.push({
      id: device.id, type: "device", selected: false,
      position: box ? { x: at.x - box.x, y: at.y - box.y } : at,
      ...(box ? { parentId: device.rack } : {}),
      data: {
        device, planned, plannedKey: planned ? JSON.stringify(planned) : "",
        marks: deviceMarks, marksKey: marksKey(deviceMarks),
        chosenPorts: ports?.device === device.id ? ports.nics : [], cabled: cabled.get(device.id) ?? new Set(),
      } satisfies DeviceData,
    });
  }
  const vnis = plan?.vnis ?? {};
  for (const collection of OVERLAY_COLLECTIONS) {
    const { kind, row, detail } = OVERLAYS[collection];
    listOf<Network | Vrf | WireguardMesh>(doc, collection).forEach((element, index) => {
      const elementMarks = marks.get(element.id);
      nodes.push({
        id: element.id, type: "overlay", selected: false,
        position: element.position ?? fallback(index, row), ...NETWORK_SIZE,
        data: {
          kind, element, detail: detail(element as never, vnis), marks: elementMarks, marksKey: marksKey(elementMarks),
        } satisfies OverlayData,
      });
    });
  }
  return { nodes, cables: drawCables(doc, plan, marks), relations: drawRelations(doc), racks };
}

/** Past this many attachment lines only the selected elements' are drawn. */
export const RELATION_EDGE_LIMIT = 300;
const LABELLED_CABLES = 200;

function mtuLabel(a: number | null, b: number | null): string {
  return a === b ? `${a ?? ""}` : `${a ?? "?"} ≠ ${b ?? "?"}`;
}

function drawCables(doc: DesignDocument, plan: LivePlan | null, marks: Map<string, Marks>): Edge[] {
  const planned = new Map((plan?.links ?? []).map((link) => [link.id, link]));
  const links = listOf<Link>(doc, "links");
  // Hundreds of MTU labels hide the drawing: past that, a cable shows its MTU when selected or mismatched.
  const labelAll = links.length <= LABELLED_CABLES;
  return links.map((link) => {
    const linkPlan = planned.get(link.id);
    const linkMarks = marks.get(link.id);
    const broken = linkPlan !== undefined && linkPlan.a_mtu !== linkPlan.b_mtu;
    return {
      id: link.id, source: link.a.device, sourceHandle: `nic:${link.a.interface}`,
      target: link.b.device, targetHandle: `nic:${link.b.interface}`, type: "cable", selected: false,
      className: `cable cable-${link.kind ?? "unnumbered"}${linkMarks ? ` marked-${linkMarks.severity}` : ""}`,
      data: {
        mtu: linkPlan ? mtuLabel(linkPlan.a_mtu, linkPlan.b_mtu) : "", labelled: labelAll || broken,
        marks: linkMarks, marksKey: marksKey(linkMarks), subnet: linkPlan?.subnet ?? null,
      } satisfies CableData,
      ariaLabel: `cable ${link.a.device}:${link.a.interface} to ${link.b.device}:${link.b.interface}`,
    };
  });
}

function drawRelations(doc: DesignDocument): Edge[] {
  return relationsOf(doc).map((relation) => ({
    id: relation.id, source: relation.source, target: relation.target,
    sourceHandle: relation.kind === "vrf" ? "out" : "attach", targetHandle: "in",
    className: `relation relation-${relation.kind}`, selected: false,
    ariaLabel: `${relation.kind} ${relation.source} to ${relation.target}`,
  }));
}

/** The drawing with the selection marked: only the selected elements' nodes and edges are new objects. */
export function withSelection(drawing: Drawing, selection: Set<string>): Flow {
  const mark = <T extends Node | Edge>(item: T): T => (selection.has(item.id) ? { ...item, selected: true } : item);
  // Thousands of attachment lines (every VNI on every node) hide the drawing and slow every frame:
  // past a few hundred, only the selected elements' ties are drawn; the nodes still count them.
  const relations = drawing.relations.length <= RELATION_EDGE_LIMIT ? drawing.relations
    : drawing.relations.filter((edge) => selection.has(edge.source) || selection.has(edge.target));
  return { nodes: drawing.nodes.map(mark), edges: [...drawing.cables, ...relations].map(mark), racks: drawing.racks };
}
