/** Messages about the document, written with the names people know elements by. */

import { describe, expect, it } from "vitest";

import { namedLinks, namedPaths } from "./elements";
import { addElement, connect } from "./operations";
import type { DesignDocument } from "./types";

function lab(): DesignDocument {
  let doc: DesignDocument = { version: 1, name: "lab" };
  doc = addElement(addElement(doc, "proxmox", { x: 0, y: 0 }).doc, "leaf", { x: 0, y: 300 }).doc;
  return connect(doc, { device: "pve1", interface: "enp1s0f0" }, { device: "leaf1", interface: "swp1" }).doc;
}

describe("messages", () => {
  it("name the element a bare path points at, with its id when its name is not its own", () => {
    const doc = lab();
    expect(namedPaths(doc, "name 'pve1' is already used by devices[1]")).toBe("name 'pve1' is already used by device leaf1");
    const twins = { ...doc, devices: doc.devices!.map((device) => ({ ...device, name: "pve1" })) };
    expect(namedPaths(twins, "already used by devices[0]")).toBe("already used by device pve1 (id pve1)");
    expect(namedPaths(doc, "devices[0].nics[3] is wrong")).toBe("devices[0].nics[3] is wrong");
  });

  it("name a cable by the devices it joins, as they are called now", () => {
    const doc = lab();
    const renamed = { ...doc, devices: doc.devices!.map((device) => (device.id === "pve1" ? { ...device, name: "web1" } : device)) };
    expect(namedLinks(renamed, "link pve1-leaf1: pve1:enp1s0f0 has MTU 1500")).toBe("cable web1–leaf1: pve1:enp1s0f0 has MTU 1500");
    expect(namedLinks(renamed, "link nowhere: gone")).toBe("link nowhere: gone");
  });
});
