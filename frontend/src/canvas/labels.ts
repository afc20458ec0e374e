/** Placing cable labels where they collide with nothing: each label slides along its cable to the first spot
 * clear of the labels already placed and of the boxes drawn (devices, bus captions). */

import type { Position } from "../document/types";
import { overlaps, type Box } from "./geometry";

export interface LabelRequest {
  id: string;
  width: number;
  height: number;
  /** The point of its cable at `t`, from 0 (one end) to 1 (the other). */
  at: (t: number) => Position;
}

// From the middle outwards: a label stays near the middle of its cable when it can.
const CANDIDATES = [0.5, 0.42, 0.58, 0.34, 0.66, 0.27, 0.73, 0.2, 0.8, 0.46, 0.54, 0.38, 0.62, 0.3, 0.7, 0.23, 0.77];
const CELL = 120;
const CLEARANCE = 2;

/** A grid of boxes, so a label is checked against its neighbours only. */
class Boxes {
  private cells = new Map<string, Box[]>();

  private keys(box: Box): string[] {
    const keys: string[] = [];
    for (let x = Math.floor(box.x / CELL); x <= Math.floor((box.x + box.width) / CELL); x += 1) {
      for (let y = Math.floor(box.y / CELL); y <= Math.floor((box.y + box.height) / CELL); y += 1) keys.push(`${x},${y}`);
    }
    return keys;
  }

  add(box: Box): void {
    for (const key of this.keys(box)) this.cells.set(key, [...(this.cells.get(key) ?? []), box]);
  }

  /** How much of `box` other boxes cover, 0 when it is clear. */
  covered(box: Box): number {
    let area = 0;
    for (const key of this.keys(box)) {
      for (const other of this.cells.get(key) ?? []) {
        if (!overlaps(box, other, CLEARANCE)) continue;
        area += Math.max(0, Math.min(box.x + box.width, other.x + other.width) - Math.max(box.x, other.x) + CLEARANCE)
          * Math.max(0, Math.min(box.y + box.height, other.y + other.height) - Math.max(box.y, other.y) + CLEARANCE);
      }
    }
    return area;
  }
}

/** Label id -> where along its cable it goes; the least covered spot when no spot is clear. */
export function placeLabels(requests: LabelRequest[], obstacles: Box[]): Map<string, number> {
  const taken = new Boxes();
  for (const box of obstacles) taken.add(box);
  const placed = new Map<string, number>();
  for (const request of requests) {
    let best = { t: 0.5, covered: Infinity, box: null as Box | null };
    for (const t of CANDIDATES) {
      const point = request.at(t);
      const box = { x: point.x - request.width / 2, y: point.y - request.height / 2, width: request.width, height: request.height };
      const covered = taken.covered(box);
      if (covered < best.covered) best = { t, covered, box };
      if (covered === 0) break;
    }
    placed.set(request.id, best.t);
    taken.add(best.box!);
  }
  return placed;
}
