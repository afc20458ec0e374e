/** Elements added by a click land on a free spot, or in the chosen rack beside what is in it. */

import { describe, expect, it } from "vitest";

import type { DesignDocument } from "../document/types";
import { addPlaced } from "./placement";
import { overlapping, sceneOf } from "./scene";

describe("placing a new element", () => {
  it("puts each new device beside the others, never on top of one", () => {
    let doc: DesignDocument = { version: 1, name: "lab" };
    for (const key of ["proxmox", "proxmox", "leaf", "spine", "network", "proxmox"]) doc = addPlaced(doc, key, { x: 0, y: 0 }).doc;
    expect(overlapping(sceneOf(doc))).toEqual([]);
  });

  it("puts a device into the chosen rack, clear of the devices already in it", () => {
    let doc: DesignDocument = { version: 1, name: "lab" };
    doc = addPlaced(doc, "rack", { x: 500, y: 500 }).doc;
    doc = addPlaced(doc, "proxmox", { x: 0, y: 0 }, "rack1").doc;
    doc = addPlaced(doc, "proxmox", { x: 0, y: 0 }, "rack1").doc;
    const scene = sceneOf(doc);
    expect(doc.devices!.map((device) => device.rack)).toEqual(["rack1", "rack1"]);
    expect(overlapping(scene)).toEqual([]);
    const rack = scene.racks.get("rack1")!.box;
    expect(scene.devices.get("pve1")!.box.y).toBeGreaterThan(rack.y);
  });
});
