/** Sizes of what the canvas draws, known before the browser measures, for racks, labels and auto-layout.
 * Text is set in fixed-width fonts where it sizes a box, so a box is as wide as its text on any machine. */

import type { Position } from "../document/types";

export const GRID = 20;

/** A port: its name in a chip on the edge of its device. */
export const PORT_ROW = 18;
export const PORT_GAP = 3;
const PORT_CHAR = 6.1;
const PORT_PAD = 10;
const PORT_MIN = 30;

/** The head of a device: name, kind, loopback and ASN, and the interfaces the plan gives it. */
export const DEVICE_HEAD = 66;
export const DEVICE_MIN_WIDTH = 172;
const DEVICE_NAME_CHAR = 8.4;
const DEVICE_HEAD_PAD = 58;
export const PORT_ROW_PAD = 8;

/** A network or mesh drawn as a bus: a line the devices tap into, its name at the left end. */
export const BUS_HEIGHT = 24;
export const BUS_LINE = 12;
const LABEL_CHAR = 6.1;
const LABEL_PAD = 12;
export const TAP_PITCH = 12;
export const BUS_MARGIN = 24;

export const VRF_SIZE = { width: 180, height: 46 };
export const RACK_PADDING = { top: 44, side: 24, bottom: 24 };
export const RACK_MIN = { width: 420, height: 240 };

/** A port's handle, where its cable starts: a dot on the edge, at the middle of the port. */
export const HANDLE = 10;
/** The handle to draw a device to a network or mesh from: a diamond on the device's bottom-right corner. */
export const ATTACH_HANDLE = { size: 12, inset: 4 };

/** Where React Flow anchors the attach handle of a device of `size` (the middle of its bottom side). */
export function attachAnchor(size: Size): Position {
  return { x: size.width - ATTACH_HANDLE.inset, y: size.height - ATTACH_HANDLE.inset + ATTACH_HANDLE.size / 2 };
}

/** A cable's label: speed, MTU and bond in small fixed-width type. */
export const CABLE_LABEL_HEIGHT = 15;

export interface Size {
  width: number;
  height: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function portWidth(name: string): number {
  return Math.max(PORT_MIN, Math.ceil(name.length * PORT_CHAR + PORT_PAD));
}

export function deviceNameWidth(name: string): number {
  return Math.ceil(name.length * DEVICE_NAME_CHAR + DEVICE_HEAD_PAD);
}

/** How wide a label of small fixed-width type is, with its padding. */
export function labelWidth(text: string): number {
  return Math.ceil(text.length * LABEL_CHAR + LABEL_PAD);
}

export function contains(box: Box, point: Position): boolean {
  return point.x >= box.x && point.x <= box.x + box.width && point.y >= box.y && point.y <= box.y + box.height;
}

export function overlaps(a: Box, b: Box, gap = 0): boolean {
  return a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap;
}

export function snap(position: Position): Position {
  return { x: Math.round(position.x / GRID) * GRID, y: Math.round(position.y / GRID) * GRID };
}
