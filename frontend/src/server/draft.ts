/** The unsaved document kept in the browser, so a reload or a conflict never loses local edits. */

import type { DesignDocument } from "../document/types";

export interface Draft {
  base_revision: string | number | null;
  /** The revision's document the edits started from, to replay them onto a newer one. */
  base_document: DesignDocument;
  document: DesignDocument;
  saved_at: string;
}

const key = (designId: string) => `weft:draft:${designId}`;

export function readDraft(designId: string): Draft | null {
  try {
    const text = window.localStorage.getItem(key(designId));
    return text ? (JSON.parse(text) as Draft) : null;
  } catch {
    return null;
  }
}

export function writeDraft(designId: string, draft: Draft): void {
  try {
    window.localStorage.setItem(key(designId), JSON.stringify(draft));
  } catch {
    /* storage full or disabled: the draft is a convenience, the editor goes on */
  }
}

export function clearDraft(designId: string): void {
  window.localStorage.removeItem(key(designId));
}
