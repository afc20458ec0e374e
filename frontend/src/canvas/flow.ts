/** The document, its live plan and findings turned into the nodes and edges React Flow draws. */

import type { Edge, Node, NodeHandle } from "@xyflow/react";
import { Position as Facing } from "@xyflow/react";

import { relationsOf } from "../document/relations";
import type { DesignDocument, Device, Network, Rack, Vrf } from "../document/types";
import { marksKey, type Marks } from "../editor/findings";
import type { LivePlan, PlannedDevice } from "../server/types";
import { busCaption, type Bus } from "./buses";
import { drawCables } from "./cables";
import { ATTACH_HANDLE, BUS_LINE, HANDLE, type Box } from "./geometry";
import type { DeviceShape, Side } from "./ports";
import { sceneOf, type Scene } from "./scene";

export interface DeviceData extends Record<string, unknown> {
  device: Device;
  shape: DeviceShape;
  planned: PlannedDevice | undefined;
  /** Changes when what the node shows of the plan changes: a new answer with the same values re-renders nothing. */
  plannedKey: string;
  marks: Marks | undefined;
  marksKey: string;
  chosenPorts: string[];
  /** The device's place in the document, the order in which devices get their detail when the view comes close. */
  rank: number;
}

export interface RackData extends Record<string, unknown> {
  rack: Rack;
  marks: Marks | undefined;
  marksKey: string;
}

export interface BusData extends Record<string, unknown> {
  bus: Bus;
  caption: string;
  captionWidth: number;
  /** What the caption's tooltip adds: how many devices tap it, its subnet. */
  detail: string;
  width: number;
  marks: Marks | undefined;
  marksKey: string;
}

export interface VrfData extends Record<string, unknown> {
  vrf: Vrf;
  detail: string;
  marks: Marks | undefined;
  marksKey: string;
}

export interface TapData extends Record<string, unknown> {
  /** Where the tap leaves its device, from the device's centre. */
  dx: number;
  /** The device's size, to find its centre and its top from the handle the tap is drawn from. */
  width: number;
  height: number;
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
  scene: Scene;
}

export interface DrawingInput {
  doc: DesignDocument;
  plan: LivePlan | null;
  marks: Map<string, Marks>;
  ports: { device: string; nics: string[] } | null;
  /** Class names to draw elements with, by element id: how a review shows what a change adds, removes or alters. */
  classes?: Map<string, string>;
}

const FACING: Record<Side, Facing> = { top: Facing.Top, bottom: Facing.Bottom, left: Facing.Left, right: Facing.Right };

/** A handle centred on a point of its node's edge, facing out of it. */
function handleAt(id: string, type: "source" | "target", side: Side, x: number, y: number, size = HANDLE): NodeHandle {
  return { id, type, position: FACING[side], x: x - size / 2, y: y - size / 2, width: size, height: size };
}

function deviceHandles(shape: DeviceShape): NodeHandle[] {
  return [
    ...shape.ports.map((port) => handleAt(`nic:${port.nic}`, "source", port.side, port.anchor.x, port.anchor.y)),
    handleAt("attach", "source", "bottom", shape.width - ATTACH_HANDLE.inset, shape.height - ATTACH_HANDLE.inset,
      ATTACH_HANDLE.size),
  ];
}

function busHandles(bus: Bus, width: number): NodeHandle[] {
  const line: NodeHandle = { id: "in", type: "target", position: Facing.Top, x: 0, y: BUS_LINE - HANDLE / 2, width, height: HANDLE };
  return bus.kind === "network" ? [line, handleAt("out", "source", "right", width, BUS_LINE)] : [line];
}

function busDetail(bus: Bus): string {
  const members = new Set(bus.members).size;
  const subnet = bus.kind === "network" ? (bus.element as Network).subnet : undefined;
  return [`${members} ${bus.kind === "mesh" ? "member" : "device"}${members === 1 ? "" : "s"}`,
    typeof subnet === "string" ? subnet : ""].filter(Boolean).join(" · ");
}

export function drawDocument({ doc, plan, marks, ports, classes }: DrawingInput): Drawing {
  const scene = sceneOf(doc);
  const nodes: Node[] = [];
  const racks = new Map<string, Box>();
  for (const { rack, box } of scene.racks.values()) {
    racks.set(rack.id, box);
    const rackMarks = marks.get(rack.id);
    nodes.push({
      id: rack.id, type: "rack", position: { x: box.x, y: box.y }, selected: false,
      style: { width: box.width, height: box.height }, width: box.width, height: box.height, measured: { width: box.width, height: box.height },
      data: { rack, marks: rackMarks, marksKey: marksKey(rackMarks) } satisfies RackData,
      dragHandle: ".rack-head", zIndex: -1, ariaLabel: `rack ${rack.name}`,
    });
  }
  let rank = 0;
  for (const { device, box, shape } of scene.devices.values()) {
    const rack = device.rack !== undefined ? racks.get(device.rack) : undefined;
    const deviceMarks = marks.get(device.id);
    const planned = plan?.devices[device.id];
    nodes.push({
      id: device.id, type: "device", selected: false,
      position: rack ? { x: box.x - rack.x, y: box.y - rack.y } : { x: box.x, y: box.y },
      ...(rack ? { parentId: device.rack } : {}),
      // The size and handles are known, not measured: React Flow draws cables to them even while a far-out
      // view draws devices without their ports.
      width: shape.width, height: shape.height, measured: { width: shape.width, height: shape.height },
      handles: deviceHandles(shape), ariaLabel: `device ${device.name}`,
      data: {
        device, shape, planned, plannedKey: planned ? JSON.stringify(planned) : "",
        marks: deviceMarks, marksKey: marksKey(deviceMarks), chosenPorts: ports?.device === device.id ? ports.nics : [],
        rank: rank++,
      } satisfies DeviceData,
    });
  }
  for (const { bus, captionWidth, box } of scene.buses.values()) {
    const caption = busCaption(bus, plan?.vnis ?? {});
    const busMarks = marks.get(bus.id);
    nodes.push({
      id: bus.id, type: "bus", selected: false, position: { x: box.x, y: box.y }, width: box.width, height: box.height,
      measured: { width: box.width, height: box.height },
      handles: busHandles(bus, box.width), dragHandle: ".bus-caption", ariaLabel: `${bus.kind === "mesh" ? "WireGuard mesh" : "network"} ${bus.element.name}`,
      data: { bus, caption, captionWidth, detail: busDetail(bus), width: box.width, marks: busMarks, marksKey: marksKey(busMarks) } satisfies BusData,
    });
  }
  for (const { vrf, box } of scene.vrfs.values()) {
    const vrfMarks = marks.get(vrf.id);
    const l3vni = vrf.l3vni;
    nodes.push({
      id: vrf.id, type: "vrf", selected: false, position: { x: box.x, y: box.y }, width: box.width, height: box.height,
      measured: { width: box.width, height: box.height },
      handles: [handleAt("in", "target", "top", box.width / 2, 0)], ariaLabel: `VRF ${vrf.name}`,
      data: { vrf, detail: typeof l3vni === "number" ? `L3 VNI ${l3vni}` : "VRF", marks: vrfMarks, marksKey: marksKey(vrfMarks) } satisfies VrfData,
    });
  }
  const styled = <T extends Node | Edge>(item: T): T => {
    const extra = classes?.get(item.id);
    return extra ? { ...item, className: item.className ? `${item.className} ${extra}` : extra } : item;
  };
  return { nodes: nodes.map(styled), cables: drawCables(scene, plan, marks).map(styled),
    relations: drawRelations(doc, scene).map(styled), racks, scene };
}

/** Past this many taps only the selected elements' are drawn. */
const RELATION_EDGE_LIMIT = 300;

function drawRelations(doc: DesignDocument, scene: Scene): Edge[] {
  const taps = new Map([...scene.buses.values()].flatMap(({ bus, taps: list }) =>
    list.map((tap) => [`${bus.id}>${tap.device}`, tap] as const)));
  return relationsOf(doc).flatMap((relation): Edge[] => {
    if (relation.kind === "vrf") {
      return [{ id: relation.id, source: relation.source, target: relation.target, sourceHandle: "out", targetHandle: "in",
        className: "relation relation-vrf", selected: false, ariaLabel: `${relation.source} in VRF ${relation.target}` }];
    }
    const tap = taps.get(`${relation.target}>${relation.source}`);
    const device = scene.devices.get(relation.source);
    if (!tap || !device) return [];
    return [{
      id: relation.id, source: relation.source, target: relation.target, sourceHandle: "attach", targetHandle: "in",
      type: "tap", className: `relation relation-${relation.kind}`, selected: false,
      ariaLabel: `${device.device.name} ${relation.kind === "mesh" ? "in mesh" : "attached to"} ${scene.buses.get(relation.target)?.bus.element.name ?? relation.target}`,
      data: { dx: tap.dx, width: device.box.width, height: device.box.height } satisfies TapData,
    }];
  });
}

/** The drawing with the selection marked: only the selected elements' nodes and edges are new objects. */
export function withSelection(drawing: Drawing, selection: Set<string>): Flow {
  const mark = <T extends Node | Edge>(item: T): T => (selection.has(item.id) ? { ...item, selected: true } : item);
  // Thousands of taps (every VNI on every node) hide the drawing and slow every frame: past a few hundred,
  // only the selected elements' taps are drawn; the buses still span their members.
  const relations = drawing.relations.length <= RELATION_EDGE_LIMIT ? drawing.relations
    : drawing.relations.filter((edge) => selection.has(edge.source) || selection.has(edge.target));
  return { nodes: drawing.nodes.map(mark), edges: [...drawing.cables, ...relations].map(mark), racks: drawing.racks };
}
