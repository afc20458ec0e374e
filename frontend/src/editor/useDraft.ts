/** This tab's unsaved draft: written shortly after each edit, cleared once nothing is unsaved; and the browser's
 * own question before the tab leaves a design with unsaved changes. */

import { useEffect, useRef } from "react";

import type { DesignDocument } from "../document/types";
import { clearDraft, writeDraft, writeDraftBase } from "../server/draft";
import type { Saved } from "./boot";

const DRAFT_DELAY_MS = 400;

export function useDraft(design: string, saved: Saved, doc: DesignDocument, editable: boolean): void {
  const dirty = editable && doc !== saved.doc;
  // The saved revision whose document the draft in the tab starts from, once it is written there.
  const draftBase = useRef<Saved | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => {
      if (!dirty) {
        clearDraft(design);
        draftBase.current = null;
        return;
      }
      if (draftBase.current !== saved) {
        writeDraftBase(design, saved.doc);
        draftBase.current = saved;
      }
      writeDraft(design, { base_revision: saved.revision, document: doc, saved_at: new Date().toISOString() });
    }, DRAFT_DELAY_MS);
    return () => clearTimeout(timer);
  }, [design, dirty, doc, saved]);

  useEffect(() => {
    if (!dirty) return undefined;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Browsers show their own words; older ones want a value returned.
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);
}
