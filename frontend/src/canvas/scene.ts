/** The drawing of a document in canvas coordinates: every device, rack, bus and VRF box, every port and tap,
 * worked out from the document alone, so drawing, label placement, auto-layout and tests agree on it. */

import { listOf } from "../document/elements";
import { PLACED_COLLECTIONS, type DesignDocument, type Device, type Link, type Position, type Rack, type Vrf } from "../document/types";
import { busBox, busesOf, captionWidth, tapKey, tapOffsets, type Bus } from "./buses";
import { BUS_LINE, RACK_MIN, RACK_PADDING, VRF_SIZE, type Box } from "./geometry";
import { cablingOf, deviceShape, deviceSize, tiersOf, type DeviceShape, type Side } from "./ports";

export interface DeviceScene {
  device: Device;
  box: Box;
  shape: DeviceShape;
}

export interface RackScene {
  rack: Rack;
  box: Box;
}

export interface Tap {
  device: string;
  /** Offset from the device's centre where the tap leaves it. */
  dx: number;
  x: number;
  /** Where the tap leaves its device (its top or bottom edge) and where it meets the bus line. */
  from: number;
  to: number;
}

export interface BusScene {
  bus: Bus;
  /** The caption's width, the same whatever VNI the plan chose. */
  captionWidth: number;
  box: Box;
  taps: Tap[];
}

export interface VrfScene {
  vrf: Vrf;
  box: Box;
}

export interface CableEnd {
  x: number;
  y: number;
  side: Side;
}

export interface CableScene {
  link: Link;
  a: CableEnd;
  b: CableEnd;
}

export interface Scene {
  devices: Map<string, DeviceScene>;
  racks: Map<string, RackScene>;
  buses: Map<string, BusScene>;
  vrfs: Map<string, VrfScene>;
  cables: CableScene[];
}

const UNPLACED_COLUMNS = 6;
const UNPLACED_PITCH = { x: 260, y: 200 };

/** Where elements nobody placed yet go: rows below everything placed, until someone lays the design out. */
function unplacedPositions(doc: DesignDocument): (index: number) => Position {
  const placedY = [...listOf<{ position?: Position }>(doc, "devices"), ...listOf<{ position?: Position }>(doc, "racks")]
    .flatMap((element) => (element.position ? [element.position.y] : []));
  const top = placedY.length ? Math.max(...placedY) + 400 : 0;
  return (index) => ({ x: (index % UNPLACED_COLUMNS) * UNPLACED_PITCH.x,
    y: top + Math.floor(index / UNPLACED_COLUMNS) * UNPLACED_PITCH.y });
}

/** Where a rack is drawn: at its own position, grown to hold every device in it with room for its name. */
export function rackBox(position: Position, devices: Box[]): Box {
  let left = position.x;
  let top = position.y;
  let right = position.x + RACK_MIN.width;
  let bottom = position.y + RACK_MIN.height;
  for (const box of devices) {
    left = Math.min(left, box.x - RACK_PADDING.side);
    top = Math.min(top, box.y - RACK_PADDING.top);
    right = Math.max(right, box.x + box.width + RACK_PADDING.side);
    bottom = Math.max(bottom, box.y + box.height + RACK_PADDING.bottom);
  }
  return { x: left, y: top, width: right - left, height: bottom - top };
}

// A scene depends on the document alone: the drawings of one document (as plan answers come in) share it.
const scenes = new WeakMap<DesignDocument, Scene>();

export function sceneOf(doc: DesignDocument): Scene {
  let scene = scenes.get(doc);
  if (!scene) {
    scene = drawnScene(doc);
    scenes.set(doc, scene);
  }
  return scene;
}

function drawnScene(doc: DesignDocument): Scene {
  const unplaced = unplacedPositions(doc);
  let unplacedCount = 0;
  const place = (position: Position | undefined) => position ?? unplaced(unplacedCount++);
  const devices = listOf<Device>(doc, "devices");
  const tiers = tiersOf(doc);
  const cabling = cablingOf(doc);

  const boxes = new Map<string, Box>();
  for (const device of devices) {
    boxes.set(device.id, { ...place(device.position), ...deviceSize(device, cabling.get(device.id), tiers) });
  }
  const centreX = (id: string) => {
    const box = boxes.get(id);
    return box ? box.x + box.width / 2 : undefined;
  };
  const deviceScenes = new Map<string, DeviceScene>();
  for (const device of devices) {
    const box = boxes.get(device.id)!;
    deviceScenes.set(device.id, { device, box, shape: deviceShape(device, cabling.get(device.id), tiers, centreX, centreX(device.id)!) });
  }

  const racks = new Map<string, RackScene>();
  for (const rack of listOf<Rack>(doc, "racks")) {
    const inside = devices.filter((device) => device.rack === rack.id).map((device) => boxes.get(device.id)!);
    racks.set(rack.id, { rack, box: rackBox(place(rack.position), inside) });
  }

  const all = busesOf(doc);
  const offsets = tapOffsets(all, (id) => boxes.get(id)?.width ?? 0);
  const buses = new Map<string, BusScene>();
  for (const bus of all) {
    const members = [...new Set(bus.members)].filter((id) => boxes.has(id));
    const xs = members.map((id) => centreX(id)! + offsets.get(tapKey(bus.id, id))!);
    const width = captionWidth(bus);
    const box = busBox(place(bus.element.position), width, xs);
    const line = box.y + BUS_LINE;
    const taps = members.map((id, index): Tap => {
      const device = boxes.get(id)!;
      const above = line < device.y;
      return { device: id, dx: offsets.get(tapKey(bus.id, id))!, x: xs[index],
        from: above ? device.y : device.y + device.height, to: line };
    });
    buses.set(bus.id, { bus, captionWidth: width, box, taps });
  }

  const vrfs = new Map<string, VrfScene>();
  for (const vrf of listOf<Vrf>(doc, "vrfs")) vrfs.set(vrf.id, { vrf, box: { ...place(vrf.position), ...VRF_SIZE } });

  const cables: CableScene[] = [];
  for (const link of listOf<Link>(doc, "links")) {
    const end = (device: string, nic: string): CableEnd | null => {
      const scene = deviceScenes.get(device);
      const port = scene?.shape.ports.find((candidate) => candidate.nic === nic);
      return scene && port ? { x: scene.box.x + port.anchor.x, y: scene.box.y + port.anchor.y, side: port.side } : null;
    };
    const a = end(link.a.device, link.a.interface);
    const b = end(link.b.device, link.b.interface);
    if (a && b) cables.push({ link, a, b });
  }
  return { devices: deviceScenes, racks, buses, vrfs, cables };
}

/** Pairs of drawn boxes that overlap: racks, devices outside racks, buses and VRFs with each other, and the
 * devices of each rack with each other. A device inside its rack's frame overlaps nothing. */
export function overlapping(scene: Scene): [string, string][] {
  const groups = new Map<string, [string, Box][]>([["", []]]);
  const add = (group: string, id: string, box: Box) => groups.set(group, [...(groups.get(group) ?? []), [id, box]]);
  for (const [id, { box }] of scene.racks) add("", id, box);
  for (const [id, { device, box }] of scene.devices) add(device.rack !== undefined && scene.racks.has(device.rack) ? device.rack : "", id, box);
  for (const [id, { box }] of scene.buses) add("", id, box);
  for (const [id, { box }] of scene.vrfs) add("", id, box);
  const pairs: [string, string][] = [];
  for (const members of groups.values()) {
    const sorted = [...members].sort((a, b) => a[1].x - b[1].x);
    sorted.forEach(([id, box], index) => {
      for (let next = index + 1; next < sorted.length && sorted[next][1].x < box.x + box.width; next += 1) {
        const [other, otherBox] = sorted[next];
        if (box.y < otherBox.y + otherBox.height && otherBox.y < box.y + box.height) pairs.push([id, other]);
      }
    });
  }
  return pairs;
}

/**
 * Whether a design must be laid out before it can be read: something has no place yet, or two things were placed
 * over each other. A bus stretched across a rack to reach its members is drawn where it was put, not moved.
 */
export function needsLayout(doc: DesignDocument): boolean {
  if (PLACED_COLLECTIONS.some((collection) => listOf<{ position?: Position }>(doc, collection).some((element) => !element.position))) {
    return true;
  }
  const scene = sceneOf(doc);
  return overlapping(scene).some((pair) => !pair.some((id) => scene.buses.has(id)));
}

/** The box holding everything drawn, or null for an empty design. */
export function sceneBounds(scene: Scene): Box | null {
  const boxes = [...scene.racks.values(), ...scene.devices.values(), ...scene.buses.values(), ...scene.vrfs.values()]
    .map((element) => element.box);
  if (boxes.length === 0) return null;
  const left = Math.min(...boxes.map((box) => box.x));
  const top = Math.min(...boxes.map((box) => box.y));
  return { x: left, y: top, width: Math.max(...boxes.map((box) => box.x + box.width)) - left,
    height: Math.max(...boxes.map((box) => box.y + box.height)) - top };
}
