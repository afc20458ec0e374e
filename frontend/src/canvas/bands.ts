/** After ELK: fold a drawing that came out as one endless row into bands a window can show. */

import type { ElkNode } from "elkjs/lib/elk-api";

import { listOf } from "../document/elements";
import type { DesignDocument, Device } from "../document/types";
import { RACK_MIN } from "./geometry";

const GAP = 60;
const BAND_GAP = 140;
// The drawing is folded to about this width per unit of height, like a wide screen.
const ASPECT = 2;

interface Box {
  node: ElkNode;
  width: number;
  height: number;
}

/** Rows of boxes no wider than `width`; ELK's own order is kept, and a new ELK layer starts a new row. */
function rows(boxes: Box[], width: number): Box[][] {
  const sorted = [...boxes].sort((a, b) => (a.node.y ?? 0) - (b.node.y ?? 0) || (a.node.x ?? 0) - (b.node.x ?? 0));
  const out: Box[][] = [];
  let row: Box[] = [];
  let used = 0;
  let layer: number | null = null;
  for (const box of sorted) {
    const newLayer = layer !== null && Math.abs((box.node.y ?? 0) - layer) > 1;
    if (row.length && (used + box.width > width || newLayer)) {
      out.push(row);
      row = [];
      used = 0;
    }
    if (row.length === 0) layer = box.node.y ?? 0;
    row.push(box);
    used += box.width + GAP;
  }
  if (row.length) out.push(row);
  return out;
}

/**
 * Put unracked devices (the switching layers) on top, racks in rows below them and networks, VRFs and
 * meshes at the bottom, each band folded into rows of about the same width and centred.
 */
export function arrangeInBands(laidOut: ElkNode, doc: DesignDocument): ElkNode {
  const children = laidOut.children ?? [];
  const devices = new Set(listOf<Device>(doc, "devices").map((device) => device.id));
  const racks = new Set(listOf<{ id: string }>(doc, "racks").map((rack) => rack.id));
  const box = (node: ElkNode): Box => ({ node, width: node.width ?? 0, height: node.height ?? 0 });
  // ELK sizes a rack to its devices; the canvas draws it at least RACK_MIN, and rows must leave room for that.
  const drawnRack = (node: ElkNode): Box => ({
    node, width: Math.max(node.width ?? 0, RACK_MIN.width), height: Math.max(node.height ?? 0, RACK_MIN.height),
  });
  const bands = [
    children.filter((node) => devices.has(node.id)).map(box),
    children.filter((node) => racks.has(node.id)).map(drawnRack),
    children.filter((node) => !devices.has(node.id) && !racks.has(node.id)).map(box),
  ].filter((band) => band.length);
  const area = bands.flat().reduce((sum, item) => sum + (item.width + GAP) * (item.height + GAP), 0);
  const widest = Math.max(0, ...bands.flat().map((item) => item.width));
  const width = Math.max(widest, Math.sqrt(area * ASPECT));

  const placed = new Map<string, { x: number; y: number }>();
  let top = 0;
  for (const band of bands) {
    for (const row of rows(band, width)) {
      const rowWidth = row.reduce((sum, item) => sum + item.width, 0) + GAP * (row.length - 1);
      let left = (width - rowWidth) / 2;
      for (const item of row) {
        placed.set(item.node.id, { x: left, y: top });
        left += item.width + GAP;
      }
      top += Math.max(...row.map((item) => item.height)) + GAP;
    }
    top += BAND_GAP - GAP;
  }
  return { ...laidOut, children: children.map((node) => ({ ...node, ...placed.get(node.id) })) };
}
