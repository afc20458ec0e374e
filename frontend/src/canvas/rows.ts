/** After ELK: stack its layers as rows a window can show. A layer wider than the drawing should be is folded
 * into several rows, in ELK's order; a bus goes in a row of its own, stretched under (or over) its members. */

import type { ElkNode } from "elkjs/lib/elk-api";

import type { Position } from "../document/types";
import { BUS_HEIGHT, BUS_MARGIN, RACK_MIN } from "./geometry";
import type { Scene } from "./scene";
import { tierOf } from "./tiers";

const GAP = 60;
const ROW_GAP = 90;
const BUS_GAP = 12;
const TAP_ROOM = 44;
// The drawing is folded to fit a canvas of about this shape (a wide window less the panels) at the largest zoom.
const VIEW = { width: 1000, height: 620 };
const FOLDS = 12;
const FOLD_GAIN = 1.05;

type Kind = "device" | "rack" | "bus" | "vrf";

interface Item {
  node: ElkNode;
  kind: Kind;
  width: number;
  height: number;
}

function partitionOf(node: ElkNode): number {
  return Number(node.layoutOptions?.["elk.partitioning.partition"] ?? 0);
}

/** Items no wider than `width` per row, in ELK's order. */
function fold(items: Item[], width: number): Item[][] {
  const rows: Item[][] = [];
  let row: Item[] = [];
  let used = 0;
  for (const item of items) {
    if (row.length && used + item.width > width) {
      rows.push(row);
      row = [];
      used = 0;
    }
    row.push(item);
    used += item.width + GAP;
  }
  if (row.length) rows.push(row);
  return rows;
}

function gapBetween(above: Kind, below: Kind): number {
  if (above === "bus" && below === "bus") return BUS_GAP;
  return above === "bus" || below === "bus" ? TAP_ROOM : ROW_GAP;
}

export function arrangeRows(laidOut: ElkNode, scene: Scene): { id: string; position: Position }[] {
  const kindOf = (id: string): Kind => (scene.racks.has(id) ? "rack" : scene.devices.has(id) ? "device"
    : scene.buses.has(id) ? "bus" : "vrf");
  const items: Item[] = (laidOut.children ?? []).map((node) => {
    const kind = kindOf(node.id);
    // ELK sizes a rack to its devices; the canvas draws it at least RACK_MIN, and rows must leave room for that.
    const width = kind === "rack" ? Math.max(node.width ?? 0, RACK_MIN.width) : node.width ?? 0;
    const height = kind === "rack" ? Math.max(node.height ?? 0, RACK_MIN.height) : kind === "bus" ? BUS_HEIGHT : node.height ?? 0;
    return { node, kind, width, height };
  });
  const layers = new Map<number, Item[]>();
  for (const item of items) layers.set(partitionOf(item.node), [...(layers.get(partitionOf(item.node)) ?? []), item]);
  const ordered = [...layers.keys()].sort((a, b) => a - b)
    .map((key) => layers.get(key)!.sort((a, b) => (a.node.x ?? 0) - (b.node.x ?? 0)));
  const rowsAt = (width: number) => ordered.flatMap((layer) => fold(layer, width));
  const extent = (rows: Item[][]) => {
    let height = 0;
    let widest = 0;
    rows.forEach((row, index) => {
      height += Math.max(...row.map((item) => item.height)) + (index ? gapBetween(rows[index - 1][0].kind, row[0].kind) : 0);
      if (row[0].kind !== "bus") widest = Math.max(widest, row.reduce((sum, item) => sum + item.width + GAP, -GAP));
    });
    return { width: widest, height };
  };
  // From one column of the widest thing to every layer on one row: the fold that shows the drawing largest.
  const boxes = items.filter((item) => item.kind !== "bus");
  const narrowest = Math.max(0, ...boxes.map((item) => item.width));
  const widest = Math.max(narrowest, ...ordered.map((layer) => layer.reduce((sum, item) => sum + item.width + GAP, 0)));
  // A fold sends the taps of the upper rows through the lower ones: the drawing is folded only as far as that
  // makes it larger on screen, and never past full size.
  let width = widest;
  let best = 0;
  for (let step = FOLDS; step >= 0; step -= 1) {
    const candidate = narrowest + ((widest - narrowest) * step) / FOLDS;
    const size = extent(rowsAt(candidate));
    const zoom = Math.min(1, VIEW.width / Math.max(1, size.width), VIEW.height / Math.max(1, size.height));
    if (zoom > best * FOLD_GAIN) {
      best = zoom;
      width = candidate;
    }
  }

  const out: { id: string; position: Position }[] = [];
  const centre = new Map<string, number>();
  const place = (node: ElkNode, at: Position) => {
    out.push({ id: node.id, position: at });
    const device = scene.devices.get(node.id);
    if (device) centre.set(node.id, at.x + device.box.width / 2);
    // ELK may set a device of a tier a few pixels off its neighbours (a port standing out): a tier is one row.
    const tierTop = new Map<number, number>();
    for (const child of node.children ?? []) {
      const tier = tierOf(scene.devices.get(child.id)!.device);
      tierTop.set(tier, Math.min(tierTop.get(tier) ?? Infinity, child.y ?? 0));
    }
    for (const child of node.children ?? []) {
      place(child, { x: at.x + (child.x ?? 0), y: at.y + tierTop.get(tierOf(scene.devices.get(child.id)!.device))! });
    }
  };
  let top = 0;
  let last: Kind | null = null;
  for (const row of rowsAt(width)) {
    const kind = row[0].kind;
    if (last !== null) top += gapBetween(last, kind);
    if (kind === "bus") {
      const { taps, captionWidth } = scene.buses.get(row[0].node.id)!;
      const xs = taps.flatMap((tap) => (centre.has(tap.device) ? [centre.get(tap.device)! + tap.dx] : []));
      const x = xs.length ? Math.min(...xs) - captionWidth - BUS_MARGIN : (width - row[0].width) / 2;
      out.push({ id: row[0].node.id, position: { x, y: top } });
    } else {
      let left = (width - (row.reduce((sum, item) => sum + item.width, 0) + GAP * (row.length - 1))) / 2;
      for (const item of row) {
        place(item.node, { x: left, y: top });
        left += item.width + GAP;
      }
    }
    top += Math.max(...row.map((item) => item.height));
    last = kind;
  }
  return out.map(({ id, position }) => ({ id, position: { x: Math.round(position.x), y: Math.round(position.y) } }));
}
