/** Opening a design: its saved revision, this tab's unsaved draft of it, and a layout when it would not read. */

import { autoLayout } from "../canvas/layout";
import { needsLayout } from "../canvas/scene";
import type { CanvasConfig } from "../config";
import { rebase } from "../document/merge";
import { moveElements } from "../document/operations";
import type { DesignDocument } from "../document/types";
import type { JsonSchema } from "../schema/fields";
import { api, configureApi } from "../server/api";
import { readDraft } from "../server/draft";

export interface Saved {
  revision: string | number | null;
  number: number | null;
  message: string;
  doc: DesignDocument;
}

export type Opening = "draft" | "draft-replayed" | "laid-out" | null;

export interface Boot {
  schema: JsonSchema;
  saved: Saved;
  start: DesignDocument;
  /** What happened to the document on the way to the canvas, for the person to be told. */
  opening: Opening;
}

/** The document the canvas starts from: this tab's draft if it has one (replayed onto a newer revision if need be). */
function withDraft(design: string, saved: Saved): { start: DesignDocument; opening: Opening } {
  const draft = readDraft(design);
  if (!draft) return { start: saved.doc, opening: null };
  if (String(draft.base_revision) === String(saved.revision)) return { start: draft.document, opening: "draft" };
  return { start: rebase(draft.base_document, draft.document, saved.doc).doc, opening: "draft-replayed" };
}

export async function boot(config: CanvasConfig): Promise<Boot> {
  configureApi(config.apiRoot, config.csrfToken);
  const [design, schema] = await Promise.all([api.design(config.design), api.schema()]);
  const saved: Saved = {
    revision: design.data.current_revision,
    // Someone may have saved since the page was made: then the number is not known until a revision is told of.
    number: config.revision === String(design.data.current_revision) ? config.revisionNumber : null,
    message: "",
    doc: design.data.document ?? { version: 1, name: design.data.name },
  };
  let { start, opening } = withDraft(config.design, saved);
  if (needsLayout(start)) {
    // Elements without a place, or placed over each other, are laid out before anyone has to look at them.
    start = moveElements(start, await autoLayout(start));
    opening = opening ?? "laid-out";
  }
  return { schema: schema.data as JsonSchema, saved, start, opening };
}
