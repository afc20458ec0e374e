/** What changed between two versions of a document, and replaying local edits onto a newer revision. */

import { listOf } from "./elements";
import { ID_COLLECTIONS, type DesignDocument } from "./types";

export type ChangeKind = "added" | "removed" | "changed";

export interface Change {
  kind: ChangeKind;
  /** The collection (devices, links ...) or "settings" for the design's own fields. */
  collection: string;
  id: string;
  name: string;
}

/** JSON with sorted keys, so two equal elements compare equal whatever order their keys came in. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner) => {
    if (inner === null || typeof inner !== "object" || Array.isArray(inner)) return inner;
    return Object.fromEntries(Object.keys(inner).sort().map((key) => [key, inner[key]]));
  });
}

// Edits replace only what they change, so most elements of two versions are the very same object.
function differs(before: unknown, after: unknown): boolean {
  return before !== after && canonical(before) !== canonical(after);
}

type Keyed = { id: string; name?: unknown };

function byId(doc: DesignDocument, collection: string): Map<string, Keyed> {
  return new Map(listOf<Keyed>(doc, collection).map((element) => [element.id, element]));
}

const KEYED = new Set<string>(ID_COLLECTIONS);

function settingsKeys(...docs: DesignDocument[]): string[] {
  return [...new Set(docs.flatMap((doc) => Object.keys(doc)))].filter((key) => !KEYED.has(key)).sort();
}

/** Every element added, removed or changed from `before` to `after`, collection by collection. */
export function changesBetween(before: DesignDocument, after: DesignDocument): Change[] {
  const changes: Change[] = [];
  for (const collection of ID_COLLECTIONS) {
    const old = byId(before, collection);
    const now = byId(after, collection);
    const label = (element: Keyed) => (typeof element.name === "string" ? element.name : element.id);
    for (const [id, element] of now) {
      if (!old.has(id)) changes.push({ kind: "added", collection, id, name: label(element) });
      else if (differs(old.get(id), element)) changes.push({ kind: "changed", collection, id, name: label(element) });
    }
    for (const [id, element] of old) {
      if (!now.has(id)) changes.push({ kind: "removed", collection, id, name: label(element) });
    }
  }
  for (const key of settingsKeys(before, after)) {
    if (differs(before[key], after[key])) {
      changes.push({ kind: before[key] === undefined ? "added" : after[key] === undefined ? "removed" : "changed",
        collection: "settings", id: key, name: key });
    }
  }
  return changes;
}

export interface Rebased {
  doc: DesignDocument;
  /** What the newer revision changed from the base. */
  theirs: Change[];
  /** Elements both sides changed; the local version was kept. */
  conflicts: Change[];
}

/**
 * Replay the edits made from `base` to `local` onto `remote` (a newer revision someone else saved).
 * Element by element: what only one side touched is taken from that side; where both did, local wins
 * and the element is reported, so the person can look at it before saving.
 */
export function rebase(base: DesignDocument, local: DesignDocument, remote: DesignDocument): Rebased {
  const localChanges = changesBetween(base, local);
  const theirs = changesBetween(base, remote);
  const remoteChanged = new Set(theirs.map((change) => `${change.collection}/${change.id}`));
  const conflicts = localChanges.filter((change) => remoteChanged.has(`${change.collection}/${change.id}`));
  const doc: DesignDocument = { ...remote };
  for (const change of localChanges.filter((c) => c.collection === "settings")) {
    if (local[change.id] === undefined) delete doc[change.id];
    else doc[change.id] = local[change.id];
  }
  for (const collection of ID_COLLECTIONS) {
    const mine = localChanges.filter((change) => change.collection === collection);
    if (mine.length === 0) continue;
    const localById = byId(local, collection);
    const removed = new Set(mine.filter((c) => c.kind === "removed").map((c) => c.id));
    const list = listOf<Keyed>(remote, collection)
      .filter((element) => !removed.has(element.id))
      .map((element) => (mine.some((c) => c.kind === "changed" && c.id === element.id) ? localById.get(element.id)! : element));
    const present = new Set(list.map((element) => element.id));
    for (const change of mine) {
      if (change.kind !== "removed" && !present.has(change.id)) list.push(localById.get(change.id)!);
    }
    (doc as Record<string, unknown>)[collection] = list;
  }
  return { doc, theirs, conflicts };
}

