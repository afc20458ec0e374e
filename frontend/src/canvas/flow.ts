/** The document, its live plan and findings turned into the nodes and edges React Flow draws. */

import type { Edge, Node } from "@xyflow/react";

import { listOf } from "../document/elements";
import { relationsOf } from "../document/relations";
import type { DesignDocument, Device, Link, Network, Position, Rack, Vrf, WireguardMesh } from "../document/types";
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
  box: Box;
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

export interface Flow {
  nodes: Node[];
  edges: Edge[];
  racks: Map<string, Box>;
}

export interface FlowInput {
  doc: DesignDocument;
  plan: LivePlan | null;
  marks: Map<string, Marks>;
  selection: Set<string>;
  ports: { device: string; nics: string[] } | null;
}

/** Elements drawn before anyone placed them go in rows below everything else. */
function fallback(index: number, row: number): Position {
  return { x: (index % 8) * 260, y: 1200 + row * 400 + Math.floor(index / 8) * 240 };
}

function plannedKey(planned: PlannedDevice | undefined): string {
  if (!planned) return "";
  const interfaces = planned.interfaces.map((iface) => `${iface.name}:${iface.kind}:${iface.mtu ?? ""}`).join(",");
  return `${planned.loopback_v4 ?? ""}|${planned.asn ?? ""}|${interfaces}`;
}

function plannedVnis(plan: LivePlan | null): Map<string, string> {
  const table = plan?.tables.find((candidate) => candidate.name === "vni");
  return new Map((table?.rows ?? []).map((row) => [row.name, row.vni]));
}

export function buildFlow({ doc, plan, marks, selection, ports }: FlowInput): Flow {
  const nodes: Node[] = [];
  const devices = listOf<Device>(doc, "devices").map((device, index) =>
    device.position ? device : { ...device, position: fallback(index, 0) });
  const racks = new Map<string, Box>();
  const byRack = new Map<string, Device[]>();
  for (const device of devices) {
    if (device.rack !== undefined) byRack.set(device.rack, [...(byRack.get(device.rack) ?? []), device]);
  }
  listOf<Rack>(doc, "racks").forEach((rack, index) => {
    const box = rackBox(rack.position ?? fallback(index, 2), byRack.get(rack.id) ?? []);
    racks.set(rack.id, box);
    const rackMarks = marks.get(rack.id);
    nodes.push({
      id: rack.id, type: "rack", position: { x: box.x, y: box.y }, selected: selection.has(rack.id),
      style: { width: box.width, height: box.height }, width: box.width, height: box.height,
      data: { rack, box, marks: rackMarks, marksKey: marksKey(rackMarks) } satisfies RackData,
      dragHandle: ".rack-head", zIndex: -1,
    });
  });
  const cabled = new Map<string, Set<string>>();
  for (const link of listOf<Link>(doc, "links")) {
    for (const end of [link.a, link.b]) cabled.set(end.device, (cabled.get(end.device) ?? new Set()).add(end.interface));
  }
  for (const device of devices) {
    const box = device.rack !== undefined ? racks.get(device.rack) : undefined;
    const at = device.position!;
    const deviceMarks = marks.get(device.id);
    nodes.push({
      id: device.id, type: "device", selected: selection.has(device.id),
      position: box ? { x: at.x - box.x, y: at.y - box.y } : at,
      ...(box ? { parentId: device.rack } : {}),
      data: {
        device, planned: plan?.devices[device.id], plannedKey: plannedKey(plan?.devices[device.id]),
        marks: deviceMarks, marksKey: marksKey(deviceMarks),
        chosenPorts: ports?.device === device.id ? ports.nics : [], cabled: cabled.get(device.id) ?? new Set(),
      } satisfies DeviceData,
    });
  }
  const vnis = plannedVnis(plan);
  const overlay = (kind: OverlayData["kind"], collection: string, row: number, detail: (e: never) => string) => {
    listOf<Network | Vrf | WireguardMesh>(doc, collection).forEach((element, index) => {
      const elementMarks = marks.get(element.id);
      nodes.push({
        id: element.id, type: "overlay", selected: selection.has(element.id),
        position: element.position ?? fallback(index, row), ...NETWORK_SIZE,
        data: { kind, element, detail: detail(element as never), marks: elementMarks, marksKey: marksKey(elementMarks) } satisfies OverlayData,
      });
    });
  };
  overlay("network", "networks", 3, (network: Network) => {
    const planned = vnis.get(network.name);
    const members = `${(network.attach ?? []).length} attached`;
    if (network.vni === "auto") return `${planned ? `VNI ${planned} (auto)` : "VNI auto"} · ${members}`;
    return `${network.vni !== undefined ? `VNI ${network.vni}` : "VLAN network"} · ${members}`;
  });
  overlay("vrf", "vrfs", 4, (vrf: Vrf) => (vrf.l3vni !== undefined && vrf.l3vni !== null ? `L3 VNI ${vrf.l3vni}` : "VRF"));
  overlay("mesh", "wireguard", 5, (mesh: WireguardMesh) => `${(mesh.members ?? []).length} members`);

  return { nodes, edges: buildEdges(doc, plan, marks, selection), racks };
}

export const RELATION_EDGE_LIMIT = 300;

function mtuLabel(a: number | null, b: number | null): string {
  return a === b ? `${a ?? ""}` : `${a ?? "?"} ≠ ${b ?? "?"}`;
}

function buildEdges(doc: DesignDocument, plan: LivePlan | null, marks: Map<string, Marks>, selection: Set<string>): Edge[] {
  const planned = new Map((plan?.links ?? []).map((link) => [link.id, link]));
  const labelAll = listOf(doc, "links").length <= 200;
  const edges: Edge[] = listOf<Link>(doc, "links").map((link) => {
    const linkPlan = planned.get(link.id);
    const linkMarks = marks.get(link.id);
    const broken = linkPlan !== undefined && linkPlan.a_mtu !== linkPlan.b_mtu;
    const shown = linkPlan && (labelAll || broken || selection.has(link.id));
    return {
      id: link.id, source: link.a.device, sourceHandle: `nic:${link.a.interface}`,
      target: link.b.device, targetHandle: `nic:${link.b.interface}`, type: "cable",
      selected: selection.has(link.id),
      className: `cable cable-${link.kind ?? "unnumbered"}${linkMarks ? ` marked-${linkMarks.severity}` : ""}`,
      data: { label: shown ? mtuLabel(linkPlan.a_mtu, linkPlan.b_mtu) : "", marks: linkMarks, subnet: linkPlan?.subnet ?? null },
      ariaLabel: `cable ${link.a.device}:${link.a.interface} to ${link.b.device}:${link.b.interface}`,
    };
  });
  const relations = relationsOf(doc);
  // Thousands of attachment lines (every VNI on every node) hide the drawing and slow every frame:
  // past a few hundred, only the selected elements' ties are drawn; the nodes still count them.
  const drawAll = relations.length <= RELATION_EDGE_LIMIT;
  for (const relation of relations) {
    if (!drawAll && !selection.has(relation.source) && !selection.has(relation.target)) continue;
    edges.push({
      id: relation.id, source: relation.source, target: relation.target,
      sourceHandle: relation.kind === "vrf" ? "out" : "attach", targetHandle: relation.kind === "vrf" ? "in" : "in",
      className: `relation relation-${relation.kind}`, selected: selection.has(relation.id),
      ariaLabel: `${relation.kind} ${relation.source} to ${relation.target}`,
    });
  }
  return edges;
}
