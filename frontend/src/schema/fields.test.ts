/** Reading the design's JSON Schema into inputs and checks. */

import { describe, expect, it } from "vitest";

import { elementSchema, fieldOf, label, parseInput, validate, type JsonSchema } from "./fields";

// The shapes pydantic writes: $defs and $ref, anyOf with null for optional fields, enums, patterns.
const schema: JsonSchema = {
  $defs: {
    Nic: {
      type: "object", required: ["name"],
      properties: {
        name: { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$", title: "Name" },
        mtu: { anyOf: [{ type: "integer", minimum: 576, maximum: 65535 }, { type: "null" }], default: null, title: "Mtu" },
      },
    },
    Device: {
      type: "object", required: ["id", "name", "role"], additionalProperties: false,
      properties: {
        id: { type: "string" },
        name: { type: "string" },
        role: { enum: ["spine", "leaf"], type: "string" },
        managed: { type: "boolean", default: true },
        nics: { type: "array", items: { $ref: "#/$defs/Nic" } },
        position: { anyOf: [{ $ref: "#/$defs/Position" }, { type: "null" }] },
      },
    },
    Network: {
      type: "object", required: ["id"],
      properties: {
        id: { type: "string" },
        vni: { anyOf: [{ type: "integer", minimum: 1 }, { const: "auto", type: "string" }, { type: "null" }] },
        attach: { type: "array", items: { type: "string" } },
      },
    },
    Position: { type: "object", properties: { x: { type: "number" }, y: { type: "number" } } },
  },
  properties: {
    devices: { type: "array", items: { $ref: "#/$defs/Device" } },
    networks: { type: "array", items: { $ref: "#/$defs/Network" } },
  },
};

describe("fields from the schema", () => {
  const device = elementSchema(schema, "devices")!;
  const network = elementSchema(schema, "networks")!;

  it("picks an input for each kind of field", () => {
    expect(fieldOf(schema, device.properties!.role, true)).toEqual({ kind: "choice", choices: ["spine", "leaf"], optional: false });
    expect(fieldOf(schema, device.properties!.managed, false).kind).toBe("boolean");
    expect(fieldOf(schema, device.properties!.nics, false)).toMatchObject({ kind: "list", scalar: false });
    expect(fieldOf(schema, network.properties!.vni, false)).toEqual({ kind: "integer-or-choice", choices: ["auto"], optional: true });
    expect(fieldOf(schema, network.properties!.attach, false)).toMatchObject({ kind: "list", scalar: true });
  });

  it("reads typed numbers, the word auto, and a blank as absent", () => {
    const vni = fieldOf(schema, network.properties!.vni, false);
    expect(parseInput(vni, "10001")).toBe(10001);
    expect(parseInput(vni, "auto")).toBe("auto");
    expect(parseInput(vni, "  ")).toBeUndefined();
  });

  it("says what is wrong where, down into list items", () => {
    const problems = validate(schema, device, {
      id: "pve1", name: "pve1", role: "router", nics: [{ name: "eth0", mtu: 100 }, { mtu: 1500 }], colour: "red",
    });
    expect(Object.fromEntries(problems)).toEqual({
      role: "must be one of spine, leaf",
      "nics[0].mtu": "must be at least 576",
      "nics[1].name": "is required",
      colour: "'colour' is not a field here",
    });
    expect(validate(schema, device, { id: "a", name: "a", role: "leaf", nics: [{ name: "swp1" }] }).size).toBe(0);
  });

  it("labels fields in the field's own words", () => {
    expect(label("mtu", { title: "Mtu" })).toBe("MTU");
    expect(label("loopback_v4", { title: "Loopback V4" })).toBe("Loopback V4");
    expect(label("nics", { title: "Nics" })).toBe("NICs");
    expect(label("asn", { $ref: "#/$defs/AsnPolicy", title: "AsnPolicy" })).toBe("ASN");
  });
});
