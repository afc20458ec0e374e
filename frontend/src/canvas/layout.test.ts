/** Auto-layout: switches above servers, racks holding their devices, large fabrics folded into rows. */

import ELK from "elkjs/lib/elk.bundled.js";
import { describe, expect, it } from "vitest";

import { listOf } from "../document/elements";
import { addElement, attach, connect, moveElements } from "../document/operations";
import type { DesignDocument, Device, Network, Rack } from "../document/types";
import { deviceSize, NETWORK_SIZE, rackBox, type Box } from "./geometry";
import { layoutWith } from "./layout";

function fabric(): DesignDocument {
  let doc: DesignDocument = { version: 1, name: "lab" };
  doc = addElement(doc, "rack", { x: 0, y: 0 }).doc;
  doc = addElement(doc, "proxmox", { x: 0, y: 0 }, "rack1").doc;
  doc = addElement(doc, "proxmox", { x: 0, y: 0 }, "rack1").doc;
  doc = addElement(doc, "leaf", { x: 0, y: 0 }, "rack1").doc;
  doc = addElement(doc, "spine", { x: 0, y: 0 }).doc;
  doc = connect(doc, { device: "pve1", interface: "enp1s0f0" }, { device: "leaf1", interface: "swp1" }).doc;
  doc = connect(doc, { device: "pve2", interface: "enp1s0f0" }, { device: "leaf1", interface: "swp2" }).doc;
  doc = connect(doc, { device: "leaf1", interface: "swp49" }, { device: "spine1", interface: "swp1" }).doc;
  doc = addElement(doc, "network", { x: 0, y: 0 }).doc;
  doc = attach(attach(doc, "net1", "pve1"), "net1", "pve2");
  return doc;
}

/** Pairs of boxes that share some area, named by their elements' ids. */
function overlapping(boxes: [string, Box][]): string[] {
  const apart = (a: Box, b: Box) => a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
  return boxes.flatMap(([idA, a], i) => boxes.slice(i + 1).filter(([, b]) => !apart(a, b)).map(([idB]) => `${idA} and ${idB}`));
}

/** What the canvas draws of a laid-out design: racks grown around their devices, devices, networks. */
function drawnBoxes(doc: DesignDocument): { top: [string, Box][]; racked: Map<string, [string, Box][]> } {
  const devices = listOf<Device>(doc, "devices");
  const deviceBox = (device: Device): [string, Box] => [device.id, { ...device.position!, ...deviceSize(device) }];
  const racks = listOf<Rack>(doc, "racks");
  const racked = new Map(racks.map((rack) => [rack.id, devices.filter((device) => device.rack === rack.id).map(deviceBox)]));
  const top: [string, Box][] = [
    ...racks.map((rack): [string, Box] => [rack.id, rackBox(rack.position, devices.filter((device) => device.rack === rack.id))]),
    ...devices.filter((device) => device.rack === undefined).map(deviceBox),
    ...listOf<Network>(doc, "networks").map((network): [string, Box] => [network.id, { ...network.position!, ...NETWORK_SIZE }]),
  ];
  return { top, racked };
}

describe("auto-layout", () => {
  it("puts the spine above the leaf, the leaf above its servers, and servers inside their rack", async () => {
    const doc = fabric();
    const at = new Map((await layoutWith(new ELK(), doc)).map((move) => [move.id, move.position]));
    expect(at.get("spine1")!.y).toBeLessThan(at.get("leaf1")!.y);
    expect(at.get("leaf1")!.y).toBeLessThan(at.get("pve1")!.y);
    expect(at.get("pve1")!.y).toBeLessThan(at.get("net1")!.y);
    const rack = at.get("rack1")!;
    for (const id of ["pve1", "pve2", "leaf1"]) {
      expect(at.get(id)!.x).toBeGreaterThanOrEqual(rack.x);
      expect(at.get(id)!.y).toBeGreaterThan(rack.y);
    }
    const [pve1, pve2] = [at.get("pve1")!, at.get("pve2")!];
    const width = deviceSize(doc.devices![1]).width;
    expect(Math.abs(pve1.x - pve2.x) >= width || Math.abs(pve1.y - pve2.y) >= deviceSize(doc.devices![1]).height).toBe(true);
  });
});

describe("auto-layout of a large fabric", () => {
  it("folds racks into rows under the spines, networks below, nothing overlapping", async () => {
    let doc: DesignDocument = { version: 1, name: "lab" };
    doc = addElement(addElement(doc, "spine", { x: 0, y: 0 }).doc, "spine", { x: 0, y: 0 }).doc;
    for (let r = 1; r <= 8; r += 1) {
      doc = addElement(doc, "rack", { x: 0, y: 0 }).doc;
      doc = addElement(doc, "leaf", { x: 0, y: 0 }, `rack${r}`).doc;
      doc = addElement(doc, "proxmox", { x: 0, y: 0 }, `rack${r}`).doc;
      doc = connect(doc, { device: `pve${r}`, interface: "enp1s0f0" }, { device: `leaf${r}`, interface: "swp1" }).doc;
      for (const s of [1, 2]) {
        doc = connect(doc, { device: `leaf${r}`, interface: `swp${48 + s}` }, { device: `spine${s}`, interface: `swp${r}` }).doc;
      }
    }
    doc = addElement(doc, "network", { x: 0, y: 0 }).doc;
    const at = new Map((await layoutWith(new ELK(), doc)).map((move) => [move.id, move.position]));
    const rackRows = new Set(Array.from({ length: 8 }, (_, i) => at.get(`rack${i + 1}`)!.y));
    expect(rackRows.size).toBeGreaterThan(1);
    const rackTop = Math.min(...rackRows);
    expect(at.get("spine1")!.y).toBeLessThan(rackTop);
    expect(at.get("net1")!.y).toBeGreaterThan(Math.max(...rackRows));
    const { top, racked } = drawnBoxes(moveElements(doc, await layoutWith(new ELK(), doc)));
    expect(top.length).toBe(2 + 8 + 1);
    expect(overlapping(top)).toEqual([]);
    for (const inRack of racked.values()) expect(overlapping(inRack)).toEqual([]);
  });
});
