/** The revision the editor stands on: saving a new one, a conflicting save, and revisions others save meanwhile
 * (told over the design's socket), each offered with the person's unsaved edits replayed on top. */

import { useCallback, useEffect, useRef, useState } from "react";

import type { CanvasConfig } from "../config";
import { namedPaths } from "../document/elements";
import { rebase } from "../document/merge";
import type { DesignDocument } from "../document/types";
import { showRevision } from "../pageHead";
import type { Conflict } from "../panels/SaveDialog";
import { api } from "../server/api";
import { clearDraft } from "../server/draft";
import { followRevisions, type AnnouncedRevision } from "../server/revisions";
import type { Revision } from "../server/types";
import type { Saved } from "./boot";
import type { Notice } from "./notices";
import type { EditorAction } from "./state";

export interface Revisions {
  saved: Saved;
  saving: boolean;
  conflict: Conflict | null;
  save: (message: string) => Promise<void>;
  reloadTheirs: () => void;
  closeConflict: () => void;
}

function savedFrom(revision: Revision): Saved {
  return { revision: revision.id, number: revision.number, message: revision.message ?? "", doc: revision.document };
}

export function useRevisions({ config, start, doc, dispatch, notify }: {
  config: CanvasConfig; start: Saved; doc: DesignDocument; dispatch: (action: EditorAction) => void; notify: (notice: Notice) => void;
}): Revisions {
  const [saved, setSaved] = useState<Saved>(start);
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [announced, setAnnounced] = useState<AnnouncedRevision | null>(null);
  // Read by callbacks that outlive a render: the document and revision as they are now.
  const now = useRef({ doc, saved });
  now.current = { doc, saved };

  const standOn = useCallback((revision: Revision) => {
    setSaved(savedFrom(revision));
    showRevision(revision.number, revision.message ?? "", api.revisionYaml(config.design, revision.id));
  }, [config.design]);

  const save = useCallback(async (message: string) => {
    setSaving(true);
    try {
      const answer = await api.save(config.design, doc, message, saved.revision);
      if (answer.status === 201) {
        const revision = answer.data as Revision;
        standOn({ ...revision, document: doc });
        clearDraft(config.design);
        notify({ key: "save", tone: "success", text: `Saved revision ${revision.number}.` });
      } else if (answer.status === 409) {
        const remote = (answer.data as { current_revision: Revision }).current_revision;
        setConflict({ remote, rebased: rebase(saved.doc, doc, remote.document) });
      } else {
        const problems = (answer.data as { problems?: { path: string; message: string }[] }).problems ?? [];
        notify({ key: "save", tone: "error", text: `Not saved: ${problems.map((p) => `${namedPaths(doc, p.path)} ${namedPaths(doc, p.message)}`)
          .join("; ") || "the server refused the document"}.` });
      }
    } catch (error) {
      notify({ key: "save", tone: "error", text: `Not saved: ${(error as Error).message}.` });
    } finally {
      setSaving(false);
    }
  }, [config.design, doc, notify, saved, standOn]);

  // The conflict dialog is modal: the document cannot change while it is open, so its rebase still holds.
  const reloadTheirs = useCallback(() => {
    if (!conflict) return;
    standOn(conflict.remote);
    dispatch({ type: "edit", change: () => conflict.rebased.doc });
    setConflict(null);
    notify({ key: "newer", tone: "info", text: `Now on revision ${conflict.remote.number}; your edits are on top of it, not saved yet.` });
  }, [conflict, dispatch, notify, standOn]);

  const takeNewer = useCallback(async (told: AnnouncedRevision) => {
    try {
      const remote = (await api.revision(config.design, told.id)).data;
      const { doc: current, saved: base } = now.current;
      if (current === base.doc) {
        standOn(remote);
        dispatch({ type: "edit", change: () => remote.document });
        notify({ key: "newer", tone: "info", text: `Now on revision ${remote.number}.` });
      } else {
        setConflict({ remote, rebased: rebase(base.doc, current, remote.document) });
      }
    } catch (error) {
      notify({ key: "newer", tone: "error", text: `Revision ${told.number} could not be loaded: ${(error as Error).message}.` });
    }
  }, [config.design, dispatch, notify, standOn]);

  useEffect(() => followRevisions(config.designSocket, setAnnounced), [config.designSocket]);

  useEffect(() => {
    // A save of this tab is told too, maybe before its answer: only once the answer is in is it known as ours.
    if (!announced || saving || String(announced.id) === String(saved.revision) || announced.number <= (saved.number ?? 0)) return;
    const edits = now.current.doc !== saved.doc;
    notify({
      key: "newer", tone: "warning", lasting: true,
      text: `${announced.author ?? "Someone"} saved revision ${announced.number}${announced.message ? ` (“${announced.message}”)` : ""}: `
        + `this tab shows revision ${saved.number ?? "?"}.`,
      actions: [{ label: edits ? "Reload theirs and keep my edits" : "Load it", run: () => void takeNewer(announced) }],
    });
  }, [announced, notify, saved, saving, takeNewer]);

  return { saved, saving, conflict, save, reloadTheirs, closeConflict: () => setConflict(null) };
}
