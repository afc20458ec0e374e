/** Auto-layout: tiers top to bottom, racks holding their devices in the document's order, buses under their
 * members, large fabrics folded into rows, nothing overlapping. */

import ELK from "elkjs/lib/elk.bundled.js";
import { describe, expect, it } from "vitest";

import { addElement, attach, connect, moveElements } from "../document/operations";
import type { DesignDocument } from "../document/types";
import { layoutWith } from "./layout";
import { overlapping, sceneOf } from "./scene";

function fabric(): DesignDocument {
  let doc: DesignDocument = { version: 1, name: "lab" };
  doc = addElement(doc, "rack", { x: 0, y: 0 }).doc;
  for (const key of ["proxmox", "proxmox", "proxmox", "leaf", "leaf"]) doc = addElement(doc, key, { x: 0, y: 0 }, "rack1").doc;
  doc = addElement(doc, "spine", { x: 0, y: 0 }).doc;
  for (const [pve, port] of [["pve1", 1], ["pve2", 2], ["pve3", 3]] as const) {
    doc = connect(doc, { device: pve, interface: "enp1s0f0" }, { device: "leaf1", interface: `swp${port}` }).doc;
    doc = connect(doc, { device: pve, interface: "enp1s0f1" }, { device: "leaf2", interface: `swp${port}` }).doc;
  }
  doc = connect(doc, { device: "leaf1", interface: "swp49" }, { device: "spine1", interface: "swp1" }).doc;
  doc = connect(doc, { device: "leaf2", interface: "swp49" }, { device: "spine1", interface: "swp2" }).doc;
  doc = addElement(doc, "network", { x: 0, y: 0 }).doc;
  return attach(attach(attach(doc, "net1", "pve1"), "net1", "pve2"), "net1", "pve3");
}

async function laidOut(doc: DesignDocument): Promise<DesignDocument> {
  return moveElements(doc, await layoutWith(new ELK(), doc));
}

describe("auto-layout", () => {
  it("puts the spine above the leaves, the leaves above their servers, the network bus below them", async () => {
    const scene = sceneOf(await laidOut(fabric()));
    const y = (id: string) => scene.devices.get(id)!.box.y;
    expect(y("spine1")).toBeLessThan(y("leaf1"));
    expect(y("leaf1")).toBe(y("leaf2"));
    expect(y("leaf1")).toBeLessThan(y("pve1"));
    expect(new Set(["pve1", "pve2", "pve3"].map(y)).size).toBe(1);
    expect(scene.buses.get("net1")!.box.y).toBeGreaterThan(y("pve1") + scene.devices.get("pve1")!.box.height);
  });

  it("keeps the document's order within a tier and nothing overlaps", async () => {
    const scene = sceneOf(await laidOut(fabric()));
    const x = (id: string) => scene.devices.get(id)!.box.x;
    expect(x("pve1")).toBeLessThan(x("pve2"));
    expect(x("pve2")).toBeLessThan(x("pve3"));
    expect(x("leaf1")).toBeLessThan(x("leaf2"));
    expect(overlapping(scene)).toEqual([]);
  });
});

describe("auto-layout of gateways and their clients", () => {
  it("runs a network shared by two tiers between them", async () => {
    let doc: DesignDocument = { version: 1, name: "lab" };
    for (const key of ["gateway", "gateway", "debian", "debian", "network"]) doc = addElement(doc, key, { x: 0, y: 0 }).doc;
    for (const device of ["gw1", "gw2", "deb1", "deb2"]) doc = attach(doc, "net1", device);
    const scene = sceneOf(await laidOut(doc));
    const bus = scene.buses.get("net1")!.box;
    const gateway = scene.devices.get("gw1")!.box;
    expect(bus.y).toBeGreaterThan(gateway.y + gateway.height);
    expect(bus.y + bus.height).toBeLessThan(scene.devices.get("deb1")!.box.y);
    expect(overlapping(scene)).toEqual([]);
  });
});

describe("auto-layout of a large fabric", () => {
  it("folds racks into rows under the spines, buses below, nothing overlapping", async () => {
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
    doc = attach(addElement(doc, "network", { x: 0, y: 0 }).doc, "net1", "pve1");
    const scene = sceneOf(await laidOut(doc));
    const rackRows = new Set([...scene.racks.values()].map((rack) => rack.box.y));
    expect(rackRows.size).toBeGreaterThan(1);
    expect(scene.devices.get("spine1")!.box.y).toBeLessThan(Math.min(...rackRows));
    expect(scene.buses.get("net1")!.box.y).toBeGreaterThan(Math.max(...[...scene.racks.values()].map((rack) => rack.box.y + rack.box.height)));
    expect(overlapping(scene)).toEqual([]);
  });
});
