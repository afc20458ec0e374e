/** The editor reducer: undo and redo, selection, clipboard and the NICs chosen for a bond. */

import { describe, expect, it } from "vitest";

import { addElement, bondNics, connect } from "../document/operations";
import { editorReducer, startEditor, type EditorAction, type EditorState } from "./state";

function run(state: EditorState, ...actions: EditorAction[]): EditorState {
  return actions.reduce(editorReducer, state);
}

const addPve = (x: number): EditorAction => ({ type: "edit", change: (doc) => addElement(doc, "proxmox", { x, y: 0 }), select: true });

describe("undo and redo", () => {
  it("walks back and forth through edits", () => {
    let state = run(startEditor({ version: 1, name: "lab" }), addPve(0), addPve(100));
    expect(state.history.present.devices!.map((d) => d.name)).toEqual(["pve1", "pve2"]);
    state = run(state, { type: "undo" });
    expect(state.history.present.devices!.map((d) => d.name)).toEqual(["pve1"]);
    state = run(state, { type: "undo" }, { type: "undo" });
    expect(state.history.present.devices).toBeUndefined();
    state = run(state, { type: "redo" }, { type: "redo" });
    expect(state.history.present.devices!.map((d) => d.name)).toEqual(["pve1", "pve2"]);
  });

  it("drops the redo branch after a new edit", () => {
    const state = run(startEditor({ version: 1, name: "lab" }), addPve(0), addPve(100), { type: "undo" }, addPve(200),
      { type: "redo" });
    expect(state.history.present.devices!.map((d) => [d.name, d.position!.x])).toEqual([["pve1", 0], ["pve2", 200]]);
  });

  it("undoes a cable and a bond", () => {
    let state = run(startEditor({ version: 1, name: "lab" }), addPve(0), addPve(100));
    state = run(state,
      { type: "edit", change: (doc) => connect(doc, { device: "pve1", interface: "eno1" }, { device: "pve2", interface: "eno1" }) },
      { type: "edit", change: (doc) => bondNics(doc, "pve1", ["enp1s0f0", "enp1s0f1"], "802.3ad") });
    expect(state.history.present.devices![0].bonds!.length).toBe(1);
    state = run(state, { type: "undo" });
    expect(state.history.present.devices![0].bonds).toBeUndefined();
    expect(state.history.present.links!.length).toBe(1);
    state = run(state, { type: "undo" });
    expect(state.history.present.links).toBeUndefined();
  });
});

describe("editing", () => {
  it("selects what was added, and reports a refused edit without recording it", () => {
    let state = run(startEditor({ version: 1, name: "lab" }), addPve(0));
    expect(state.selection).toEqual(["pve1"]);
    const before = state.history;
    state = run(state, { type: "edit", change: (doc) => bondNics(doc, "pve1", ["eno1"], "802.3ad") });
    expect(state.message).toBe("select two or more NICs of pve1 to bond");
    expect(state.history).toBe(before);
  });

  it("deletes the selection and copies and pastes it", () => {
    let state = run(startEditor({ version: 1, name: "lab" }), addPve(0), { type: "copy" }, { type: "paste", offset: { x: 40, y: 40 } });
    expect(state.selection).toEqual(["pve2"]);
    expect(state.history.present.devices![1].position).toEqual({ x: 40, y: 40 });
    state = run(state, { type: "delete" });
    expect(state.history.present.devices!.map((d) => d.id)).toEqual(["pve1"]);
  });

  it("collects NICs of one device for a bond, and starts over on another device", () => {
    let state = run(startEditor({ version: 1, name: "lab" }), addPve(0), addPve(100),
      { type: "toggle-port", device: "pve1", nic: "eno1" }, { type: "toggle-port", device: "pve1", nic: "eno2" });
    expect(state.ports).toEqual({ device: "pve1", nics: ["eno1", "eno2"] });
    state = run(state, { type: "toggle-port", device: "pve1", nic: "eno1" });
    expect(state.ports).toEqual({ device: "pve1", nics: ["eno2"] });
    state = run(state, { type: "toggle-port", device: "pve2", nic: "eno1" });
    expect(state.ports).toEqual({ device: "pve2", nics: ["eno1"] });
  });
});

describe("selection", () => {
  it("takes what the nodes and the cables report one after the other, each on the selection as it is then", () => {
    const start = { ...startEditor({ version: 1, name: "lab" }), selection: ["pve1-leaf1"] };
    const state = run(start, { type: "select-change", changes: [{ id: "pve1", selected: true }] },
      { type: "select-change", changes: [{ id: "pve1-leaf1", selected: false }] });
    expect(state.selection).toEqual(["pve1"]);
  });
});
