/** Inspector messages: server problems and schema checks under the fields they concern. */

import { describe, expect, it } from "vitest";

import { addElement } from "../document/operations";
import type { DesignDocument } from "../document/types";
import type { JsonSchema } from "../schema/fields";
import { fieldMessages } from "./messages";

const root: JsonSchema = {
  $defs: {
    Device: {
      type: "object", required: ["id", "name"],
      properties: { id: { type: "string" }, name: { type: "string", pattern: "^[a-z0-9-]+$" }, nics: { type: "array" },
        role: { type: "string" }, platform: { type: "string" }, position: { type: "object" } },
    },
  },
  properties: { name: { type: "string" }, devices: { type: "array", items: { $ref: "#/$defs/Device" } } },
};

describe("inspector messages", () => {
  it("puts a server problem under the field of the element it names, beside the schema's own checks", () => {
    let doc: DesignDocument = { version: 1, name: "lab" };
    doc = addElement(addElement(doc, "leaf", { x: 0, y: 0 }).doc, "proxmox", { x: 0, y: 300 }).doc;
    const pve = { ...doc.devices![1], name: "PVE 1" };
    doc = { ...doc, devices: [doc.devices![0], pve] };
    const problems = [
      { path: "devices[1].nics[3]", message: "interface name 'eno2' is used twice on pve1" },
      { path: "devices[0].rack", message: "no rack with id 'rack9'" },
      { path: "pools.loopback_v4", message: "is not a prefix", hint: "write it with a length" },
    ];
    const device = root.$defs!.Device;
    expect(Object.fromEntries(fieldMessages(doc, root, device, pve, problems, "pve1", new Set(["id"])))).toEqual({
      "nics[3]": ["interface name 'eno2' is used twice on pve1"],
      name: ["'PVE 1' does not have the form this field takes"],
    });
    expect(Object.fromEntries(fieldMessages(doc, root, root, { name: "lab" }, problems, null, new Set(["devices"]))))
      .toEqual({ "pools.loopback_v4": ["is not a prefix (write it with a length)"] });
  });
});
