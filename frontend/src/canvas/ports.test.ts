/** Ports on the edge facing their peers, ordered like their peers, and sizes that depend on ports alone. */

import { describe, expect, it } from "vitest";

import { addElement, connect, moveElements } from "../document/operations";
import type { DesignDocument } from "../document/types";
import { sceneOf } from "./scene";

function dualHomed(): DesignDocument {
  let doc: DesignDocument = { version: 1, name: "lab" };
  doc = addElement(doc, "spine", { x: 300, y: -300 }).doc;
  doc = addElement(doc, "leaf", { x: 0, y: 0 }).doc;
  doc = addElement(doc, "leaf", { x: 600, y: 0 }).doc;
  doc = addElement(doc, "proxmox", { x: 0, y: 300 }).doc;
  doc = connect(doc, { device: "pve1", interface: "enp1s0f0" }, { device: "leaf2", interface: "swp1" }).doc;
  doc = connect(doc, { device: "pve1", interface: "enp1s0f1" }, { device: "leaf1", interface: "swp1" }).doc;
  return connect(doc, { device: "leaf1", interface: "swp3" }, { device: "spine1", interface: "swp1" }).doc;
}

const sides = (doc: DesignDocument, device: string) =>
  Object.fromEntries(sceneOf(doc).devices.get(device)!.shape.ports.map((port) => [port.nic, port.side]));
const order = (doc: DesignDocument, device: string, side: string) =>
  sceneOf(doc).devices.get(device)!.shape.ports.filter((port) => port.side === side).sort((a, b) => a.x - b.x).map((port) => port.nic);

describe("ports", () => {
  it("put a server's uplinks on top, a leaf's downlinks below and its uplink to a spine on top", () => {
    const doc = dualHomed();
    expect(sides(doc, "pve1")).toMatchObject({ enp1s0f0: "top", enp1s0f1: "top", eno1: "top" });
    expect(sides(doc, "leaf1")).toMatchObject({ swp1: "bottom", swp3: "top", swp2: "bottom" });
    expect(sides(doc, "spine1").swp1).toBe("bottom");
  });

  it("leave a leaf's fastest unused ports on top, where the spines will be", () => {
    expect(sides(dualHomed(), "leaf2")).toMatchObject({ swp49: "top", swp50: "top", swp8: "bottom" });
  });

  it("turn a link within a tier sideways, toward the peer", () => {
    const doc = connect(dualHomed(), { device: "leaf1", interface: "swp8" }, { device: "leaf2", interface: "swp8" }).doc;
    expect(sides(doc, "leaf1").swp8).toBe("right");
    expect(sides(doc, "leaf2").swp8).toBe("left");
  });

  it("order the ports of an edge like the peers they face, so the cables do not cross", () => {
    const doc = dualHomed();
    expect(order(doc, "pve1", "top").slice(0, 2)).toEqual(["enp1s0f1", "enp1s0f0"]);
    const swapped = moveElements(doc, [{ id: "leaf1", position: { x: 600, y: 0 } }, { id: "leaf2", position: { x: 0, y: 0 } }]);
    expect(order(swapped, "pve1", "top").slice(0, 2)).toEqual(["enp1s0f0", "enp1s0f1"]);
  });

  it("size a device by its ports, whatever order they are in", () => {
    const doc = dualHomed();
    const swapped = moveElements(doc, [{ id: "leaf1", position: { x: 600, y: 0 } }, { id: "leaf2", position: { x: 0, y: 0 } }]);
    const size = (d: DesignDocument) => { const { width, height } = sceneOf(d).devices.get("pve1")!.box; return { width, height }; };
    expect(size(swapped)).toEqual(size(doc));
    const { ports, width } = sceneOf(doc).devices.get("pve1")!.shape;
    for (const port of ports) expect(port.x + port.width).toBeLessThanOrEqual(width);
  });
});
