/** The unsaved document kept in the browser tab, so a reload or a conflict never loses local edits. Each tab
 * keeps its own (session storage): a second tab opens the saved revision, never another tab's unsaved edits. */

import type { DesignDocument } from "../document/types";

export interface Draft {
  base_revision: string | number | null;
  /** The revision's document the edits started from, to replay them onto a newer one. */
  base_document: DesignDocument;
  document: DesignDocument;
  saved_at: string;
}

// The base is kept under a key of its own: it changes only when a revision is saved, while the draft is
// written after every edit, and a large design's base is most of a megabyte.
const key = (designId: string) => `weft:draft:${designId}`;
const baseKey = (designId: string) => `weft:draft-base:${designId}`;

function read<T>(name: string): T | null {
  try {
    const text = window.sessionStorage.getItem(name);
    return text ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
}

function write(name: string, value: unknown): void {
  try {
    window.sessionStorage.setItem(name, JSON.stringify(value));
  } catch {
    /* storage full or disabled: the draft is a convenience, the editor goes on */
  }
}

/** The draft of a design, when both it and the document it started from are kept. */
export function readDraft(designId: string): Draft | null {
  const draft = read<Omit<Draft, "base_document">>(key(designId));
  const base = draft && read<DesignDocument>(baseKey(designId));
  return draft && base ? { ...draft, base_document: base } : null;
}

/** Keep the document the edits start from; once per saved revision, before the first draft of it. */
export function writeDraftBase(designId: string, base: DesignDocument): void {
  write(baseKey(designId), base);
}

export function writeDraft(designId: string, draft: Omit<Draft, "base_document">): void {
  write(key(designId), draft);
}

export function clearDraft(designId: string): void {
  window.sessionStorage.removeItem(key(designId));
  window.sessionStorage.removeItem(baseKey(designId));
}
