/** Names that count up per kind (pve1, pve2, leaf1) and ids that never collide. */

import { allIds, listOf } from "./elements";
import { ID_COLLECTIONS, type DesignDocument } from "./types";

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The prefix a name counts from: `pve12` -> `pve`, `rack 3` -> `rack `. */
export function namePrefix(name: string): string {
  return name.replace(/\d+$/, "") || name;
}

function usedNames(doc: DesignDocument): string[] {
  const names: string[] = [];
  for (const collection of ID_COLLECTIONS) {
    for (const element of listOf<{ id?: unknown; name?: unknown }>(doc, collection)) {
      if (typeof element.name === "string") names.push(element.name);
      if (typeof element.id === "string") names.push(element.id);
    }
  }
  return names;
}

/** The next free counted name: one above the highest number used with this prefix. */
export function nextName(doc: DesignDocument, prefix: string, taken: Iterable<string> = []): string {
  const pattern = new RegExp(`^${escape(prefix)}(\\d+)$`);
  let highest = 0;
  for (const name of [...usedNames(doc), ...taken]) {
    const match = pattern.exec(name);
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return `${prefix}${highest + 1}`;
}

/** An id made from `base` that no element of the document (nor `taken`) already has. */
export function uniqueId(doc: DesignDocument, base: string, taken: Iterable<string> = []): string {
  const ids = allIds(doc);
  for (const id of taken) ids.add(id);
  const clean = base.replace(/[^A-Za-z0-9_.:-]/g, "-").replace(/^[^A-Za-z0-9]+/, "").slice(0, 60) || "element";
  if (!ids.has(clean)) return clean;
  for (let n = 2; n < 100000; n += 1) {
    if (!ids.has(`${clean}-${n}`)) return `${clean}-${n}`;
  }
  throw new Error(`no free id left for ${clean}`);
}
