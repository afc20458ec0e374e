/** The curve of a cable: it leaves each port straight out of the edge the port is on and bends gently toward
 * the other end. One definition serves drawing the cable and placing its label. */

import type { Position } from "../document/types";
import type { Side } from "./ports";

export interface CurveEnd extends Position {
  side: Side;
}

export type Curve = [Position, Position, Position, Position];

const OUTWARD: Record<Side, Position> = { top: { x: 0, y: -1 }, bottom: { x: 0, y: 1 }, left: { x: -1, y: 0 }, right: { x: 1, y: 0 } };
const MIN_REACH = 36;

export function cableCurve(a: CurveEnd, b: CurveEnd): Curve {
  const control = (from: CurveEnd, to: CurveEnd): Position => {
    const out = OUTWARD[from.side];
    const span = out.x !== 0 ? Math.abs(to.x - from.x) : Math.abs(to.y - from.y);
    const reach = Math.max(MIN_REACH, span / 2);
    return { x: from.x + out.x * reach, y: from.y + out.y * reach };
  };
  return [{ x: a.x, y: a.y }, control(a, b), control(b, a), { x: b.x, y: b.y }];
}

export function pointOn([p0, p1, p2, p3]: Curve, t: number): Position {
  const u = 1 - t;
  const at = (k: "x" | "y") => u * u * u * p0[k] + 3 * u * u * t * p1[k] + 3 * u * t * t * p2[k] + t * t * t * p3[k];
  return { x: at("x"), y: at("y") };
}

export function svgPath([p0, p1, p2, p3]: Curve): string {
  return `M${p0.x},${p0.y} C${p1.x},${p1.y} ${p2.x},${p2.y} ${p3.x},${p3.y}`;
}
