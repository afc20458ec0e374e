/** Which edge of its device each port is drawn on, and in what order: a port faces the tier of the device it
 * is cabled to (a hypervisor's uplinks on top, a leaf's downlinks below, a peer link sideways), and the ports of
 * an edge are ordered by where their peers stand, so cables run between tiers without crossing where they need not. */

import { listOf } from "../document/elements";
import type { DesignDocument, Device, Link, Position } from "../document/types";
import {
  DEVICE_HEAD,
  DEVICE_MIN_WIDTH,
  deviceNameWidth,
  PORT_GAP,
  PORT_ROW,
  PORT_ROW_PAD,
  portWidth,
  type Size,
} from "./geometry";
import { tierOf, type Tier } from "./tiers";

export type Side = "top" | "bottom" | "left" | "right";

/** The other end of a port's cable. */
export interface PortPeer {
  device: string;
  interface: string;
  link: string;
}

export interface PortPlace {
  nic: string;
  side: Side;
  /** The port's chip, relative to its device's top-left corner. */
  x: number;
  y: number;
  width: number;
  /** Where its cable leaves the device, relative to the same corner. */
  anchor: Position;
  peer?: PortPeer;
}

export interface DeviceShape extends Size {
  ports: PortPlace[];
  /** Width of the columns of sideways ports, left and right of the head. */
  column: number;
  /** Changes whenever the shape does, so a device whose shape stayed is not drawn again. */
  key: string;
}

/** Device id -> NIC -> the other end of its cable. */
export type Cabling = Map<string, Map<string, PortPeer>>;

export function cablingOf(doc: DesignDocument): Cabling {
  const cabling: Cabling = new Map();
  const add = (end: Link["a"], other: Link["a"], link: string) => {
    const ports = cabling.get(end.device) ?? new Map<string, PortPeer>();
    ports.set(end.interface, { device: other.device, interface: other.interface, link });
    cabling.set(end.device, ports);
  };
  for (const link of listOf<Link>(doc, "links")) {
    add(link.a, link.b, link.id);
    add(link.b, link.a, link.id);
  }
  return cabling;
}

type Facing = "up" | "down" | "level";

/** Where a port looks: toward its peer's tier. An unused port looks where the device's usual peers are: up from a
 * host, down from a switch, except a leaf's or border's fastest ports, which are its uplinks to the spines. */
function facing(own: Tier, peer: Tier | undefined, uplink: boolean): Facing {
  if (peer === undefined) return own === 2 || (own === 1 && uplink) ? "up" : "down";
  return peer < own ? "up" : peer > own ? "down" : "level";
}

const SPEED_UNITS: Record<string, number> = { M: 1e-3, G: 1, T: 1e3 };

function gbits(speed: string | undefined): number {
  const match = /^(\d+(?:\.\d+)?)\s*([MGT])/i.exec(speed ?? "");
  return match ? Number(match[1]) * SPEED_UNITS[match[2].toUpperCase()] : 0;
}

interface Grouped {
  up: string[];
  down: string[];
  level: string[];
}

function grouped(device: Device, peers: Map<string, PortPeer> | undefined, tiers: Map<string, Tier>): Grouped {
  const own = tierOf(device);
  const speeds = (device.nics ?? []).map((nic) => gbits(nic.speed));
  const fastest = Math.max(0, ...speeds);
  const mixed = speeds.some((speed) => speed < fastest);
  const groups: Grouped = { up: [], down: [], level: [] };
  (device.nics ?? []).forEach((nic, index) => {
    const peer = peers?.get(nic.name);
    groups[facing(own, peer ? tiers.get(peer.device) : undefined, mixed && speeds[index] === fastest)].push(nic.name);
  });
  return groups;
}

function rowWidth(names: string[]): number {
  return names.reduce((sum, name) => sum + portWidth(name), 0) + PORT_GAP * Math.max(0, names.length - 1);
}

function sizeOf(device: Device, groups: Grouped): Size & { column: number } {
  const column = Math.max(0, ...groups.level.map(portWidth));
  const head = Math.max(DEVICE_MIN_WIDTH, deviceNameWidth(device.name)) + 2 * column;
  const width = Math.max(head, rowWidth(groups.up) + 2 * PORT_ROW_PAD, rowWidth(groups.down) + 2 * PORT_ROW_PAD);
  const height = 2 * PORT_ROW + Math.max(DEVICE_HEAD, groups.level.length * PORT_ROW);
  return { width, height, column };
}

export function tiersOf(doc: DesignDocument): Map<string, Tier> {
  return new Map(listOf<Device>(doc, "devices").map((device) => [device.id, tierOf(device)]));
}

/** The size a device is drawn at: it depends on its ports and what they are cabled to, never on the plan. */
export function deviceSize(device: Device, peers: Map<string, PortPeer> | undefined, tiers: Map<string, Tier>): Size {
  const { width, height } = sizeOf(device, grouped(device, peers, tiers));
  return { width, height };
}

/**
 * The device's size and where each of its ports is. `peerX` says where a peer device's centre is drawn, to
 * order the ports of an edge like their peers and to turn a sideways port toward its peer.
 */
export function deviceShape(device: Device, peers: Map<string, PortPeer> | undefined, tiers: Map<string, Tier>,
  peerX: (device: string) => number | undefined, ownX: number): DeviceShape {
  const groups = grouped(device, peers, tiers);
  const { width, height, column } = sizeOf(device, groups);
  const order = new Map((device.nics ?? []).map((nic, index) => [nic.name, index]));
  const whereIsPeer = (nic: string) => {
    const peer = peers?.get(nic);
    return peer ? peerX(peer.device) ?? Infinity : Infinity;
  };
  const byPeer = (names: string[]) => [...names].sort((a, b) => whereIsPeer(a) - whereIsPeer(b)
    || order.get(a)! - order.get(b)!);
  const ports: PortPlace[] = [];
  const row = (names: string[], side: "top" | "bottom") => {
    let x = (width - rowWidth(names)) / 2;
    const y = side === "top" ? 0 : height - PORT_ROW;
    for (const nic of byPeer(names)) {
      const chip = portWidth(nic);
      ports.push({ nic, side, x, y, width: chip, anchor: { x: x + chip / 2, y: side === "top" ? 0 : height },
        peer: peers?.get(nic) });
      x += chip + PORT_GAP;
    }
  };
  row(groups.up, "top");
  row(groups.down, "bottom");
  const columns = { left: 0, right: 0 };
  for (const nic of groups.level) {
    const side = whereIsPeer(nic) < ownX ? "left" : "right";
    const y = PORT_ROW + columns[side] * PORT_ROW;
    columns[side] += 1;
    ports.push({ nic, side, x: side === "left" ? 0 : width - column, y, width: column,
      anchor: { x: side === "left" ? 0 : width, y: y + PORT_ROW / 2 }, peer: peers?.get(nic) });
  }
  const key = `${width}x${height}:${ports.map((port) => `${port.nic}@${port.side}${Math.round(port.x)},${port.y}`).join(";")}`;
  return { width, height, ports, column, key };
}
