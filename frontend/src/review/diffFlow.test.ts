import { describe, expect, it } from "vitest";

import { drawDocument } from "../canvas/flow";
import type { DesignDocument } from "../document/types";
import { describeFields, diffFlow, withThreads } from "./diffFlow";
import type { ElementChange } from "./types";

const base: DesignDocument = {
  version: 1, name: "d",
  racks: [{ id: "rack1", name: "rack 1", position: { x: 0, y: 0 } }],
  devices: [
    { id: "leaf1", name: "leaf1", role: "leaf", platform: "cumulus", nics: [{ name: "swp1" }], position: { x: 0, y: 400 } },
    { id: "pve1", name: "pve1", role: "hypervisor", platform: "proxmox", rack: "rack1", nics: [{ name: "eno1" }],
      position: { x: 40, y: 60 } },
    { id: "old", name: "old", role: "host", platform: "debian", nics: [{ name: "eth0" }], position: { x: 600, y: 400 } },
  ],
  links: [{ id: "l1", a: { device: "pve1", interface: "eno1" }, b: { device: "leaf1", interface: "swp1" } }],
  networks: [],
};
const head: DesignDocument = {
  ...base,
  devices: [
    { ...base.devices![0], nics: [{ name: "swp1", mtu: 9100 }] },
    base.devices![1],
    { id: "new", name: "new", role: "host", platform: "debian", nics: [], position: { x: 900, y: 400 } },
  ],
  networks: [{ id: "net1", name: "tenant", vni: 602, attach: ["pve1"], position: { x: 300, y: 700 } }],
};
const changes: ElementChange[] = [
  { id: "leaf1", collection: "devices", status: "changed", name: "leaf1",
    fields: [{ path: "nics[swp1].mtu", old: null, new: 9100 }] },
  { id: "new", collection: "devices", status: "added", name: "new", fields: [] },
  { id: "net1", collection: "networks", status: "added", name: "tenant", fields: [] },
  { id: "old", collection: "devices", status: "removed", name: "old", fields: [] },
];
const draw = (doc: DesignDocument) => drawDocument({ doc, plan: null, marks: new Map(), ports: null });

function classes(nodes: { id: string; className?: string }[]) {
  return Object.fromEntries(nodes.map((node) => [node.id, node.className ?? ""]));
}

describe("the canvas diff", () => {
  it("shows both: added green, changed amber, removed as a ghost where it was", () => {
    const flow = diffFlow(draw(base), draw(head), changes, "both");
    const byId = classes(flow.nodes);
    expect(byId.leaf1).toContain("diff-changed");
    expect(byId.new).toContain("diff-added");
    expect(byId.net1).toContain("diff-added");
    expect(byId.old).toContain("diff-removed");
    expect(byId.old).toContain("diff-ghost");
    expect(byId.pve1).toContain("diff-same");
    expect(flow.nodes.find((node) => node.id === "old")!.position).toEqual({ x: 600, y: 400 });
    const attach = flow.edges.find((edge) => edge.target === "net1");
    expect(attach?.className).toContain("diff-added");
  });

  it("shows the base with the removed marked and nothing of what the head adds", () => {
    const flow = diffFlow(draw(base), draw(head), changes, "base");
    const byId = classes(flow.nodes);
    expect(Object.keys(byId).sort()).toEqual(["leaf1", "old", "pve1", "rack1"]);
    expect(byId.old).toContain("diff-removed");
    expect(byId.old).not.toContain("diff-ghost");
  });

  it("shows the head alone, and fades what did not change in the only-changes view", () => {
    expect(classes(diffFlow(draw(base), draw(head), changes, "head").nodes).old).toBeUndefined();
    const only = classes(diffFlow(draw(base), draw(head), changes, "changes").nodes);
    expect(only.pve1).toContain("diff-faded");
    expect(only.leaf1).not.toContain("diff-faded");
  });

  it("tells the changed fields on hover", () => {
    expect(describeFields(changes[0])).toEqual(["nics[swp1].mtu: — → 9100"]);
    expect(describeFields(changes[1])).toEqual(["new added"]);
  });

  it("marks the elements that comment threads are about", () => {
    const flow = withThreads(diffFlow(draw(base), draw(head), changes, "both"), new Map([["leaf1", 2]]));
    const leaf = flow.nodes.find((node) => node.id === "leaf1")!;
    expect(leaf.className).toContain("has-threads");
    expect(leaf.data.threads).toBe(2);
    expect(flow.nodes.find((node) => node.id === "pve1")!.className).not.toContain("has-threads");
  });
});
