/** What changed between revisions, and local edits replayed onto a newer revision. */

import { describe, expect, it } from "vitest";

import { changesBetween, rebase } from "./merge";
import { addElement, connect, moveElements } from "./operations";
import type { DesignDocument } from "./types";

function base(): DesignDocument {
  let doc: DesignDocument = { version: 1, name: "lab" };
  doc = addElement(doc, "proxmox", { x: 0, y: 0 }).doc;
  return addElement(doc, "leaf", { x: 0, y: 200 }).doc;
}

describe("changes and rebase", () => {
  it("lists what another person added, moved and removed", () => {
    const before = base();
    let after = addElement(before, "spine", { x: 0, y: -200 }).doc;
    after = moveElements(after, [{ id: "leaf1", position: { x: 50, y: 200 } }]);
    after = { ...after, devices: after.devices!.filter((d) => d.id !== "pve1"), description: "moved" };
    expect(changesBetween(before, after)).toEqual([
      { kind: "changed", collection: "devices", id: "leaf1", name: "leaf1" },
      { kind: "added", collection: "devices", id: "spine1", name: "spine1" },
      { kind: "removed", collection: "devices", id: "pve1", name: "pve1" },
      { kind: "added", collection: "settings", id: "description", name: "description" },
    ]);
  });

  it("keeps local edits on top of a newer revision and reports elements both sides changed", () => {
    const start = base();
    const remote = moveElements(addElement(start, "spine", { x: 0, y: -200 }).doc, [{ id: "leaf1", position: { x: 9, y: 9 } }]);
    let local = connect(start, { device: "pve1", interface: "enp1s0f0" }, { device: "leaf1", interface: "swp1" }).doc;
    local = moveElements(local, [{ id: "leaf1", position: { x: 1, y: 1 } }]);
    const rebased = rebase(start, local, remote);
    expect(rebased.doc.devices!.map((d) => d.id)).toEqual(["pve1", "leaf1", "spine1"]);
    expect(rebased.doc.devices!.find((d) => d.id === "leaf1")!.position).toEqual({ x: 1, y: 1 });
    expect(rebased.doc.links!.length).toBe(1);
    expect(rebased.conflicts.map((c) => c.id)).toEqual(["leaf1"]);
    expect(rebased.theirs.map((c) => `${c.kind} ${c.id}`)).toEqual(["changed leaf1", "added spine1"]);
  });
});
