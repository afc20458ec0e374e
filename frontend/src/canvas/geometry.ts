/** Sizes of what the canvas draws, known before the browser measures, for racks and auto-layout. */

import type { Device, Position } from "../document/types";

export const GRID = 20;
export const DEVICE_WIDTH = 220;
export const DEVICE_HEAD = 78;
export const PORT_ROW = 20;
export const DEVICE_FOOT = 22;
export const NETWORK_SIZE = { width: 180, height: 64 };
export const RACK_PADDING = { top: 44, side: 20, bottom: 20 };
export const RACK_MIN = { width: 500, height: 280 };

export interface Size {
  width: number;
  height: number;
}

export function deviceSize(device: Device): Size {
  return { width: DEVICE_WIDTH, height: DEVICE_HEAD + PORT_ROW * (device.nics?.length ?? 0) + DEVICE_FOOT };
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Where a rack is drawn: at its own position, grown to hold every device in it (devices keep
 * absolute positions in the document, so one placed above or left of the rack widens it that way).
 * `placed` says where a device is drawn, for devices the document has not placed yet.
 */
export function rackBox(position: Position | undefined, devices: Device[],
  placed: (device: Device) => Position | undefined = (device) => device.position): Box {
  const origin = position ?? { x: 0, y: 0 };
  let left = origin.x;
  let top = origin.y;
  let right = origin.x + RACK_MIN.width;
  let bottom = origin.y + RACK_MIN.height;
  for (const device of devices) {
    const at = placed(device) ?? origin;
    const size = deviceSize(device);
    left = Math.min(left, at.x - RACK_PADDING.side);
    top = Math.min(top, at.y - RACK_PADDING.top);
    right = Math.max(right, at.x + size.width + RACK_PADDING.side);
    bottom = Math.max(bottom, at.y + size.height + RACK_PADDING.bottom);
  }
  return { x: left, y: top, width: right - left, height: bottom - top };
}

export function contains(box: Box, point: Position): boolean {
  return point.x >= box.x && point.x <= box.x + box.width && point.y >= box.y && point.y <= box.y + box.height;
}

export function snap(position: Position): Position {
  return { x: Math.round(position.x / GRID) * GRID, y: Math.round(position.y / GRID) * GRID };
}
