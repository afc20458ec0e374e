/** The drawing of a document: buses spanning their members, taps standing apart, overlaps found. */

import { describe, expect, it } from "vitest";

import { addElement, attach, moveElements } from "../document/operations";
import type { DesignDocument } from "../document/types";
import { captionWidth } from "./buses";
import { drawDocument } from "./flow";
import { needsLayout, overlapping, sceneOf } from "./scene";

function twoServersTwoNetworks(): DesignDocument {
  let doc: DesignDocument = { version: 1, name: "lab" };
  doc = addElement(doc, "proxmox", { x: 0, y: 0 }).doc;
  doc = addElement(doc, "proxmox", { x: 400, y: 0 }).doc;
  doc = addElement(doc, "network", { x: 100, y: 300 }).doc;
  doc = addElement(doc, "network", { x: 100, y: 340 }).doc;
  for (const network of ["net1", "net2"]) doc = attach(attach(doc, network, "pve1"), network, "pve2");
  return doc;
}

describe("buses", () => {
  it("span every member, their caption left of the first tap", () => {
    const scene = sceneOf(twoServersTwoNetworks());
    const bus = scene.buses.get("net1")!;
    for (const tap of bus.taps) {
      expect(tap.x).toBeGreaterThan(bus.box.x + bus.captionWidth);
      expect(tap.x).toBeLessThan(bus.box.x + bus.box.width);
    }
  });

  it("are tapped by one device at places of their own, from the edge facing them", () => {
    const doc = twoServersTwoNetworks();
    const scene = sceneOf(doc);
    const [net1, net2] = ["net1", "net2"].map((id) => scene.buses.get(id)!.taps.find((tap) => tap.device === "pve1")!);
    expect(net1.x).not.toBe(net2.x);
    const pve1 = scene.devices.get("pve1")!.box;
    expect(net1.from).toBe(pve1.y + pve1.height);
    const above = sceneOf(moveElements(doc, [{ id: "net1", position: { x: 100, y: -200 } }]));
    expect(above.buses.get("net1")!.taps.find((tap) => tap.device === "pve1")!.from).toBe(pve1.y);
  });

  it("keep the room of their caption when the plan chooses the VNI", () => {
    const bus = sceneOf(twoServersTwoNetworks()).buses.get("net1")!;
    expect(captionWidth(bus.bus)).toBe(bus.captionWidth);
    expect(bus.captionWidth).toBeGreaterThan(0);
  });
});

describe("overlaps", () => {
  it("are found between devices placed over each other, and make the design be laid out", () => {
    const doc = twoServersTwoNetworks();
    expect(overlapping(sceneOf(doc))).toEqual([]);
    expect(needsLayout(doc)).toBe(false);
    const crowded = moveElements(doc, [{ id: "pve2", position: { x: 60, y: 20 } }]);
    expect(overlapping(sceneOf(crowded))).toEqual([["pve1", "pve2"]]);
    expect(needsLayout(crowded)).toBe(true);
  });

  it("make a design without positions be laid out", () => {
    const doc = twoServersTwoNetworks();
    expect(needsLayout({ ...doc, devices: doc.devices!.map(({ position: _, ...device }) => device) })).toBe(true);
  });
});

describe("a drawing for a review", () => {
  it("carries the class names given per element onto their nodes and cables", () => {
    const drawing = drawDocument({ doc: twoServersTwoNetworks(), plan: null, marks: new Map(), ports: null,
      classes: new Map([["pve2", "review-added"], ["net1", "review-changed"]]) });
    expect(drawing.nodes.find((node) => node.id === "pve2")!.className).toBe("review-added");
    expect(drawing.nodes.find((node) => node.id === "net1")!.className).toBe("review-changed");
    expect(drawing.nodes.find((node) => node.id === "pve1")!.className).toBeUndefined();
  });
});
