/** Findings and problems gathered per element for the badges. */

import { describe, expect, it } from "vitest";

import { addElement } from "../document/operations";
import type { DesignDocument } from "../document/types";
import { marksByElement } from "./findings";

describe("marks on elements", () => {
  it("gathers findings and problems per element, the worst severity first", () => {
    let doc: DesignDocument = { version: 1, name: "lab" };
    doc = addElement(addElement(doc, "leaf", { x: 0, y: 0 }).doc, "proxmox", { x: 0, y: 300 }).doc;
    const marks = marksByElement(doc, [
      { code: "vni-single-vtep", severity: "warning", message: "one VTEP", elements: ["pve1"], hint: "" },
      { code: "link-mtu-mismatch", severity: "error", message: "MTUs differ", elements: ["pve1", "leaf1"], hint: "" },
    ], [{ path: "devices[1].nics[0].mtu", message: "must be at least 576" }]);
    expect(marks.get("pve1")).toEqual({
      severity: "error", count: 3, messages: ["one VTEP", "MTUs differ", "nics[0].mtu: must be at least 576"],
    });
    expect(marks.get("leaf1")).toMatchObject({ severity: "error", count: 1 });
  });
});
