/** Reading the design's JSON Schema: which input each field gets, and what a value must satisfy. */

export type JsonSchema = {
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: (string | number)[];
  const?: string | number | boolean;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  title?: string;
  description?: string;
  additionalProperties?: boolean | JsonSchema;
};

export type Field =
  | { kind: "text"; optional: boolean }
  | { kind: "integer" | "number"; optional: boolean }
  | { kind: "integer-or-choice"; choices: string[]; optional: boolean }
  | { kind: "boolean"; optional: boolean }
  | { kind: "choice"; choices: (string | number)[]; optional: boolean }
  | { kind: "object"; schema: JsonSchema; optional: boolean }
  | { kind: "list"; item: JsonSchema; scalar: boolean; optional: boolean };

export function resolve(root: JsonSchema, schema: JsonSchema): JsonSchema {
  let current = schema;
  for (let depth = 0; current.$ref && depth < 16; depth += 1) {
    const name = current.$ref.replace(/^#\/\$defs\//, "");
    current = { ...root.$defs?.[name], ...Object.fromEntries(Object.entries(current).filter(([k]) => k !== "$ref")) };
  }
  return current;
}

/** The alternatives of a schema other than null, and whether null is one of them. */
function alternatives(root: JsonSchema, schema: JsonSchema): { options: JsonSchema[]; nullable: boolean } {
  const resolved = resolve(root, schema);
  if (!resolved.anyOf) return { options: [resolved], nullable: false };
  const options = resolved.anyOf.map((option) => resolve(root, option));
  return { options: options.filter((option) => option.type !== "null"), nullable: options.some((o) => o.type === "null") };
}

function isScalar(root: JsonSchema, schema: JsonSchema): boolean {
  const { options } = alternatives(root, schema);
  return options.every((option) => option.type !== "object" && option.type !== "array");
}

/** How to edit a field: the input that fits its schema. */
export function fieldOf(root: JsonSchema, schema: JsonSchema, required: boolean): Field {
  const { options, nullable } = alternatives(root, schema);
  const optional = nullable || !required;
  const choices = options.flatMap((option) => option.enum ?? (option.const !== undefined ? [option.const] : []));
  const open = options.filter((option) => option.enum === undefined && option.const === undefined);
  if (open.length === 0 && choices.length) return { kind: "choice", choices: choices as (string | number)[], optional };
  if (open.length === 1 && open[0].type === "integer" && choices.length) {
    return { kind: "integer-or-choice", choices: choices.map(String), optional };
  }
  const only = open[0] ?? {};
  if (only.type === "boolean") return { kind: "boolean", optional };
  if (only.type === "integer" || only.type === "number") return { kind: only.type, optional };
  if (only.type === "object" || only.properties) return { kind: "object", schema: only, optional };
  if (only.type === "array") {
    const item = resolve(root, only.items ?? {});
    return { kind: "list", item, scalar: isScalar(root, item), optional };
  }
  return { kind: "text", optional };
}

/** What the person typed, as the value the document holds (numbers as numbers, blank as absent). */
export function parseInput(field: Field, text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  if (field.kind === "integer" || field.kind === "integer-or-choice") {
    return /^-?\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
  }
  if (field.kind === "number") return Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
  return text;
}

function typeMatches(schema: JsonSchema, value: unknown): boolean {
  switch (schema.type) {
    case "string": return typeof value === "string";
    case "integer": return typeof value === "number" && Number.isInteger(value);
    case "number": return typeof value === "number";
    case "boolean": return typeof value === "boolean";
    case "array": return Array.isArray(value);
    case "object": return value !== null && typeof value === "object" && !Array.isArray(value);
    case "null": return value === null;
    default: return true;
  }
}

/** Why `value` does not fit one alternative of a schema, or null when it fits. */
function scalarProblem(schema: JsonSchema, value: unknown): string | null {
  if (schema.const !== undefined) return value === schema.const ? null : `must be ${JSON.stringify(schema.const)}`;
  if (schema.enum) return schema.enum.includes(value as never) ? null : `must be one of ${schema.enum.join(", ")}`;
  if (!typeMatches(schema, value)) return `must be ${schema.type === "integer" ? "a whole number" : `a ${schema.type}`}`;
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) return `must be at least ${schema.minimum}`;
    if (schema.maximum !== undefined && value > schema.maximum) return `must be at most ${schema.maximum}`;
  }
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength) return "must not be empty";
    if (schema.pattern && !new RegExp(schema.pattern).test(value)) return `'${value}' does not have the form this field takes`;
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) return `needs at least ${schema.minItems}`;
    if (schema.maxItems !== undefined && value.length > schema.maxItems) return `takes at most ${schema.maxItems}`;
  }
  return null;
}

/** Every place `value` breaks `schema`, keyed by path relative to it (`bonds[0].members`). */
export function validate(root: JsonSchema, schema: JsonSchema, value: unknown, path = ""): Map<string, string> {
  const problems = new Map<string, string>();
  const resolved = resolve(root, schema);
  const options = resolved.anyOf ? resolved.anyOf.map((o) => resolve(root, o)) : [resolved];
  const fitting = options.filter((option) => scalarProblem(option, value) === null);
  if (fitting.length === 0) {
    problems.set(path, scalarProblem(options[0], value) ?? "is not valid here");
    return problems;
  }
  const chosen = fitting[0];
  if (chosen.type === "object" || chosen.properties) {
    const record = value as Record<string, unknown>;
    for (const name of chosen.required ?? []) {
      if (record[name] === undefined) problems.set(join(path, name), "is required");
    }
    for (const [name, inner] of Object.entries(record)) {
      const property = chosen.properties?.[name];
      if (!property) {
        if (chosen.additionalProperties === false) problems.set(join(path, name), `'${name}' is not a field here`);
      } else if (inner !== undefined) {
        for (const [where, message] of validate(root, property, inner, join(path, name))) problems.set(where, message);
      }
    }
  }
  if (chosen.type === "array" && Array.isArray(value) && chosen.items) {
    value.forEach((item, index) => {
      for (const [where, message] of validate(root, chosen.items!, item, join(path, index))) problems.set(where, message);
    });
  }
  return problems;
}

/** The path of a field (`nics`) or list item (`3`) below `path`: `bonds[0].members`. */
export function join(path: string, name: string | number): string {
  return typeof name === "number" ? `${path}[${name}]` : path ? `${path}.${name}` : name;
}

/** The schema of one collection's elements: `devices` -> the Device definition. */
export function elementSchema(root: JsonSchema, collection: string): JsonSchema | null {
  const list = root.properties?.[collection];
  if (!list) return null;
  const items = resolve(root, list).items;
  return items ? resolve(root, items) : null;
}

export function label(name: string, schema: JsonSchema): string {
  const title = (schema.$ref ? undefined : schema.title) ?? name.replace(/_/g, " ");
  const words = title.replace(/\b(asn|mtu|vni|vrf|vlan|vlans|vrfs|id|nics|ip|lacp|stp|vids|dns|ttl|v4|v6|l3vni|bgp|rt)\b/gi,
    (word) => ({ nics: "NICs", vids: "VIDs", vlans: "VLANs", vrfs: "VRFs", l3vni: "L3 VNI" } as Record<string, string>)[
      word.toLowerCase()] ?? word.toUpperCase());
  return words.charAt(0).toUpperCase() + words.slice(1);
}
