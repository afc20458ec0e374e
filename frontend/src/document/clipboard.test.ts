/** Copy and paste of elements: fresh ids and names, cables and memberships carried along. */

import { describe, expect, it } from "vitest";

import { copyElements, pasteElements } from "./clipboard";
import { addElement, attach, connect } from "./operations";
import type { DesignDocument } from "./types";

function fabric(): DesignDocument {
  let doc: DesignDocument = { version: 1, name: "lab" };
  doc = addElement(doc, "rack", { x: 0, y: 0 }).doc;
  doc = addElement(doc, "proxmox", { x: 20, y: 40 }, "rack1").doc;
  doc = addElement(doc, "leaf", { x: 20, y: 200 }, "rack1").doc;
  doc = connect(doc, { device: "pve1", interface: "enp1s0f0" }, { device: "leaf1", interface: "swp1" }).doc;
  doc = addElement(doc, "network", { x: 400, y: 0 }).doc;
  doc = { ...doc, networks: doc.networks!.map((n) => ({ ...n, vni: 200 })) };
  doc = attach(doc, "net1", "pve1");
  doc = { ...doc, devices: doc.devices!.map((d) => (d.id === "pve1" ? { ...d, loopback_v4: "10.0.0.5" } : d)) };
  return doc;
}

describe("copy and paste", () => {
  it("pastes a rack with its devices and their cable under new names, offset", () => {
    const doc = fabric();
    const pasted = pasteElements(doc, copyElements(doc, ["rack1"]), { x: 300, y: 0 });
    expect(pasted.ids).toEqual(["rack2", "pve2", "leaf2"]);
    const pve2 = pasted.doc.devices!.find((d) => d.id === "pve2")!;
    expect(pve2).toMatchObject({ rack: "rack2", position: { x: 320, y: 40 } });
    expect(pve2.loopback_v4).toBeUndefined();
    expect(pasted.doc.links!.map((l) => `${l.a.device}:${l.a.interface}-${l.b.device}:${l.b.interface}`))
      .toEqual(["pve1:enp1s0f0-leaf1:swp1", "pve2:enp1s0f0-leaf2:swp1"]);
  });

  it("leaves out cables to devices that were not copied", () => {
    const doc = fabric();
    const pasted = pasteElements(doc, copyElements(doc, ["pve1"]), { x: 0, y: 300 });
    expect(pasted.doc.links!.length).toBe(1);
    expect(pasted.doc.devices!.map((d) => d.name)).toEqual(["pve1", "leaf1", "pve2"]);
  });

  it("gives a pasted network the next free VNI and keeps its members", () => {
    const doc = fabric();
    const pasted = pasteElements(doc, copyElements(doc, ["net1"]), { x: 0, y: 100 });
    expect(pasted.doc.networks![1]).toMatchObject({ id: "net2", vni: "auto", attach: [{ device: "pve1" }] });
  });

  it("pastes twice without clashing", () => {
    const doc = fabric();
    const clip = copyElements(doc, ["pve1"]);
    const once = pasteElements(doc, clip, { x: 10, y: 10 });
    const twice = pasteElements(once.doc, clip, { x: 20, y: 20 });
    expect(twice.doc.devices!.map((d) => d.id)).toEqual(["pve1", "leaf1", "pve2", "pve3"]);
  });
});
