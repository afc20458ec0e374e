/** Networks and WireGuard meshes drawn as buses: a line under (or over) its devices that each member taps into,
 * instead of one curve per attachment. A bus spans its members; its stored position places its line and name. */

import { listOf, memberDevice } from "../document/elements";
import type { DesignDocument, Network, Position, WireguardMesh } from "../document/types";
import { BUS_HEIGHT, BUS_MARGIN, labelWidth, TAP_PITCH, type Box } from "./geometry";

// A bus alone (nothing taps it yet) is a stretch of line this long beside its caption, to draw devices onto.
const BUS_STRETCH = 160;

export type BusKind = "network" | "mesh";

export interface Bus {
  id: string;
  kind: BusKind;
  element: Network | WireguardMesh;
  members: string[];
}

/** Every bus of the document, networks first, each with its member devices in the document's order. */
export function busesOf(doc: DesignDocument): Bus[] {
  return [
    ...listOf<Network>(doc, "networks").map((network): Bus => ({
      id: network.id, kind: "network", element: network, members: (network.attach ?? []).map(memberDevice) })),
    ...listOf<WireguardMesh>(doc, "wireguard").map((mesh): Bus => ({
      id: mesh.id, kind: "mesh", element: mesh, members: (mesh.members ?? []).map(memberDevice) })),
  ];
}

/** Where each device taps each of its buses: an offset from its centre, so the taps of one device stand apart. */
export function tapOffsets(buses: Bus[], width: (device: string) => number): Map<string, number> {
  const perDevice = new Map<string, string[]>();
  for (const bus of buses) {
    for (const device of new Set(bus.members)) perDevice.set(device, [...(perDevice.get(device) ?? []), bus.id]);
  }
  const offsets = new Map<string, number>();
  for (const [device, ids] of perDevice) {
    const pitch = Math.min(TAP_PITCH, (width(device) - 2 * TAP_PITCH) / Math.max(1, ids.length - 1));
    ids.forEach((bus, index) => offsets.set(tapKey(bus, device), (index - (ids.length - 1) / 2) * pitch));
  }
  return offsets;
}

export function tapKey(bus: string, device: string): string {
  return `${bus}>${device}`;
}

/** The words at the left end of a bus: its name and what it is. */
export function busCaption(bus: Bus, vnis: Record<string, number>): string {
  if (bus.kind === "mesh") return `${bus.element.name} · WireGuard mesh`;
  const network = bus.element as Network;
  const planned = vnis[network.id];
  if (network.vni === "auto") return `${network.name} · VNI ${planned ?? "auto"}`;
  if (typeof network.vni === "number") return `${network.name} · VNI ${network.vni}`;
  if (typeof network.vlan === "number") return `${network.name} · VLAN ${network.vlan}`;
  return network.name;
}

// The largest VNI there is: a caption keeps room for any number the planner may choose.
const WIDEST_VNI = 16_777_215;

/** How wide a bus's caption is drawn: the same before and after the plan chooses its VNI. */
export function captionWidth(bus: Bus): number {
  return labelWidth(busCaption(bus, { [bus.id]: WIDEST_VNI }));
}

/**
 * Where a bus is drawn: from its stored position, stretched right (and left, leaving room for its caption) to
 * reach every member's tap. `tapX` says where a member taps it, in canvas coordinates.
 */
export function busBox(position: Position, caption: number, tapXs: number[]): Box {
  const captionRoom = caption + BUS_MARGIN;
  const left = Math.min(position.x, ...tapXs.map((x) => x - captionRoom));
  const right = Math.max(position.x + caption + BUS_STRETCH, ...tapXs.map((x) => x + BUS_MARGIN));
  return { x: left, y: position.y, width: right - left, height: BUS_HEIGHT };
}
