/** Document edits: adding with defaults, cabling, bonding, attaching, moving and deleting. */

import { describe, expect, it } from "vitest";

import { attach, addElement, bondNics, connect, moveElements, placeInRack, relate } from "./operations";
import { removeElements } from "./removal";
import { relationsOf } from "./relations";
import { OperationError, type DesignDocument, type Device, type Network } from "./types";

const empty: DesignDocument = { version: 1, name: "lab" };

function add(doc: DesignDocument, key: string, x = 0, y = 0, rack?: string) {
  return addElement(doc, key, { x, y }, rack);
}

function device(doc: DesignDocument, id: string): Device {
  return doc.devices!.find((d) => d.id === id)!;
}

function build(): DesignDocument {
  let doc = add(empty, "rack", 0, 0).doc;
  doc = add(doc, "proxmox", 20, 40, "rack1").doc;
  doc = add(doc, "proxmox", 220, 40, "rack1").doc;
  doc = add(doc, "leaf", 20, 300).doc;
  return add(doc, "leaf", 220, 300).doc;
}

describe("adding elements", () => {
  it("counts names up per kind and gives a Proxmox node its NICs", () => {
    const doc = build();
    expect(doc.devices!.map((d) => d.name)).toEqual(["pve1", "pve2", "leaf1", "leaf2"]);
    expect(device(doc, "pve1")).toMatchObject({ role: "hypervisor", platform: "proxmox", rack: "rack1" });
    expect(device(doc, "pve1").nics!.map((nic) => nic.name)).toEqual(["enp1s0f0", "enp1s0f1", "eno1", "eno2"]);
    expect(device(doc, "leaf1").nics!.filter((nic) => nic.speed === "100G").map((nic) => nic.name))
      .toEqual(["swp49", "swp50"]);
  });

  it("counts from the highest number in use, not from how many there are", () => {
    let doc = add(empty, "proxmox").doc;
    doc = { ...doc, devices: doc.devices!.map((d) => ({ ...d, name: "pve7" })) };
    const added = add(doc, "proxmox");
    expect(device(added.doc, added.id).name).toBe("pve8");
  });

  it("never reuses an id when a renamed element freed its name", () => {
    let doc = add(empty, "spine").doc;
    doc = { ...doc, devices: doc.devices!.map((d) => ({ ...d, name: "core" })) };
    const added = add(doc, "spine");
    expect(added.id).not.toBe("spine1");
    expect(new Set(added.doc.devices!.map((d) => d.id)).size).toBe(2);
  });

  it("gives a new VNI network an automatic VNI and no members", () => {
    const added = add(empty, "network", 10.4, 20.6);
    expect(added.doc.networks![0]).toEqual({ id: "net1", name: "net1", vni: "auto", attach: [], position: { x: 10, y: 21 } });
  });

  it("refuses a rack that does not exist", () => {
    expect(() => add(empty, "proxmox", 0, 0, "rack9")).toThrow(/no rack 'rack9'/);
  });
});

describe("cabling", () => {
  it("cables two NICs with an unnumbered link and names it after its ends", () => {
    const { doc, id } = connect(build(), { device: "pve1", interface: "enp1s0f0" }, { device: "leaf1", interface: "swp1" });
    expect(doc.links).toEqual([{ id, a: { device: "pve1", interface: "enp1s0f0" }, b: { device: "leaf1", interface: "swp1" } }]);
    expect(id).toBe("pve1-leaf1");
  });

  it("makes a LAN cable when a management port is involved", () => {
    const { doc } = connect(build(), { device: "pve1", interface: "eno1" }, { device: "leaf1", interface: "swp2" });
    expect(doc.links![0].kind).toBe("lan");
  });

  it("refuses a NIC that is already cabled, saying to what", () => {
    const { doc } = connect(build(), { device: "pve1", interface: "enp1s0f0" }, { device: "leaf1", interface: "swp1" });
    expect(() => connect(doc, { device: "pve2", interface: "enp1s0f0" }, { device: "leaf1", interface: "swp1" }))
      .toThrow("leaf1:swp1 is already cabled to pve1:enp1s0f0");
  });

  it("refuses a NIC the device does not have and a cable to itself", () => {
    expect(() => connect(build(), { device: "pve1", interface: "eth9" }, { device: "leaf1", interface: "swp1" }))
      .toThrow("pve1 has no NIC 'eth9'");
    expect(() => connect(build(), { device: "pve1", interface: "eno1" }, { device: "pve1", interface: "eno2" }))
      .toThrow(OperationError);
  });
});

describe("bonding", () => {
  it("bonds two NICs into bond0 with the chosen mode, then bond1", () => {
    const first = bondNics(build(), "pve1", ["eno1", "eno2"], "active-backup");
    expect(device(first.doc, "pve1").bonds).toEqual([{ name: "bond0", mode: "active-backup", members: ["eno1", "eno2"] }]);
    const second = bondNics(first.doc, "pve1", ["enp1s0f0", "enp1s0f1"], "802.3ad");
    expect(second.id).toBe("bond1");
  });

  it("refuses a single NIC and a NIC already in a bond", () => {
    expect(() => bondNics(build(), "pve1", ["eno1"], "802.3ad")).toThrow(/two or more NICs/);
    const { doc } = bondNics(build(), "pve1", ["eno1", "eno2"], "802.3ad");
    expect(() => bondNics(doc, "pve1", ["eno2", "enp1s0f0"], "802.3ad")).toThrow("pve1:eno2 is already a member of bond0");
  });
});

describe("attaching", () => {
  it("attaches devices to a VNI by drawing from either end, once each", () => {
    const withNet = add(build(), "network");
    let doc = relate(withNet.doc, "pve1", withNet.id);
    doc = relate(doc, withNet.id, "pve2");
    expect((doc.networks![0] as Network).attach).toEqual([{ device: "pve1" }, { device: "pve2" }]);
    expect(() => attach(doc, withNet.id, "pve1")).toThrow("pve1 is already in network net1");
    expect(relationsOf(doc).map((r) => r.id)).toEqual(["attach:net1:pve1", "attach:net1:pve2"]);
  });

  it("puts a network in a VRF and a device in a WireGuard mesh", () => {
    let doc = add(add(add(build(), "network").doc, "vrf").doc, "wireguard").doc;
    doc = relate(doc, "net1", "vrf1");
    doc = relate(doc, "pve1", "wg1");
    expect(doc.networks![0].vrf).toBe("vrf1");
    expect(doc.wireguard![0].members).toEqual([{ device: "pve1" }]);
  });

  it("says a rack cannot be drawn to a leaf", () => {
    expect(() => relate(build(), "rack1", "leaf1")).toThrow(/cannot be joined/);
  });
});

describe("moving and racks", () => {
  it("moves the devices of a rack with it", () => {
    const doc = moveElements(build(), [{ id: "rack1", position: { x: 100, y: 50 } }]);
    expect(device(doc, "pve1").position).toEqual({ x: 120, y: 90 });
    expect(device(doc, "leaf1").position).toEqual({ x: 20, y: 300 });
  });

  it("places a device in a rack and takes it out again", () => {
    const doc = placeInRack(build(), "leaf1", "rack1");
    expect(device(doc, "leaf1").rack).toBe("rack1");
    expect("rack" in device(placeInRack(doc, "leaf1", undefined), "leaf1")).toBe(false);
  });
});

describe("deleting", () => {
  it("removes a device with its cables and attachments", () => {
    let doc = connect(build(), { device: "pve1", interface: "enp1s0f0" }, { device: "leaf1", interface: "swp1" }).doc;
    const net = add(doc, "network");
    doc = attach(net.doc, net.id, "pve1");
    doc = removeElements(doc, ["pve1"]);
    expect(doc.devices!.map((d) => d.id)).toEqual(["pve2", "leaf1", "leaf2"]);
    expect(doc.links).toEqual([]);
    expect(doc.networks![0].attach).toEqual([]);
  });

  it("removes a rack with the devices in it", () => {
    const doc = removeElements(build(), ["rack1"]);
    expect(doc.racks).toEqual([]);
    expect(doc.devices!.map((d) => d.id)).toEqual(["leaf1", "leaf2"]);
  });

  it("detaches a device when its attachment is deleted, keeping both", () => {
    const net = add(build(), "network");
    const doc = removeElements(attach(net.doc, net.id, "pve2"), ["attach:net1:pve2"]);
    expect(doc.networks![0].attach).toEqual([]);
    expect(doc.devices!.length).toBe(4);
  });

  it("never changes the document it was given", () => {
    const doc = build();
    const before = JSON.stringify(doc);
    removeElements(doc, ["rack1"]);
    connect(doc, { device: "pve1", interface: "enp1s0f0" }, { device: "leaf1", interface: "swp1" });
    bondNics(doc, "pve1", ["eno1", "eno2"], "802.3ad");
    expect(JSON.stringify(doc)).toBe(before);
  });
});
