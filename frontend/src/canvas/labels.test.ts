/** Cable labels slide along their cables until they are clear of each other and of the boxes drawn. */

import { describe, expect, it } from "vitest";

import type { Position } from "../document/types";
import { overlaps } from "./geometry";
import { placeLabels, type LabelRequest } from "./labels";

const straight = (id: string, from: Position, to: Position): LabelRequest => ({
  id, width: 60, height: 15, at: (t) => ({ x: from.x + (to.x - from.x) * t, y: from.y + (to.y - from.y) * t }),
});

const boxAt = (request: LabelRequest, t: number) => {
  const point = request.at(t);
  return { x: point.x - request.width / 2, y: point.y - request.height / 2, width: request.width, height: request.height };
};

describe("cable labels", () => {
  it("keep a label in the middle of its cable when nothing is there", () => {
    expect(placeLabels([straight("a", { x: 0, y: 0 }, { x: 0, y: 200 })], []).get("a")).toBe(0.5);
  });

  it("move apart the labels of two cables that cross in the middle", () => {
    const requests = [straight("a", { x: 0, y: 0 }, { x: 200, y: 200 }), straight("b", { x: 200, y: 0 }, { x: 0, y: 200 })];
    const placed = placeLabels(requests, []);
    expect(overlaps(boxAt(requests[0], placed.get("a")!), boxAt(requests[1], placed.get("b")!))).toBe(false);
  });

  it("keep a label off a device its cable passes", () => {
    const request = straight("a", { x: 0, y: 0 }, { x: 0, y: 400 });
    const device = { x: -100, y: 150, width: 200, height: 100 };
    expect(overlaps(boxAt(request, placeLabels([request], [device]).get("a")!), device)).toBe(false);
  });
});
