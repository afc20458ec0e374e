/** Saving a revision with a message, and the conflict shown when someone saved first. */

import { useEffect, useRef, useState } from "react";

import type { Rebased } from "../document/merge";
import type { Revision } from "../server/types";

function Modal({ label, open, onClose, children }: { label: string; open: boolean; onClose: () => void; children: React.ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return <dialog ref={ref} aria-label={label} onClose={onClose} onCancel={onClose}>{open && children}</dialog>;
}

export function SaveDialog({ open, onSave, onClose }: { open: boolean; onSave: (message: string) => void; onClose: () => void }) {
  const [message, setMessage] = useState("");
  return (
    <Modal label="Save a revision" open={open} onClose={onClose}>
      <form method="dialog" onSubmit={(event) => { event.preventDefault(); onSave(message.trim() || "Edited on the canvas"); setMessage(""); }}>
        <h2>Save a revision</h2>
        <label htmlFor="revision-message">What changed</label>
        <input id="revision-message" autoFocus value={message} onChange={(event) => setMessage(event.currentTarget.value)}
          placeholder="Edited on the canvas" />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary">Save revision</button>
        </div>
      </form>
    </Modal>
  );
}

const VERB = { added: "added", removed: "removed", changed: "changed" };

export interface Conflict {
  /** The revision someone else saved first. */
  remote: Revision;
  /** The local edits replayed onto it: what reloading gives, what they changed, what both changed. */
  rebased: Rebased;
}

export function ConflictDialog({ conflict, onReload, onClose }: { conflict: Conflict | null; onReload: () => void; onClose: () => void }) {
  return (
    <Modal label="Someone saved first" open={conflict !== null} onClose={onClose}>
      {conflict && (
        <div>
          <h2>Someone saved a newer revision</h2>
          <p>{conflict.remote.author ?? "Someone"} saved “{conflict.remote.message ?? ""}” after you started. Your edits are kept as a draft in this browser.</p>
          <h3>What they changed</h3>
          <ul className="changes" data-testid="their-changes">
            {conflict.rebased.theirs.map((change) => (
              <li key={`${change.collection}/${change.id}`}>{VERB[change.kind]} {change.collection === "settings" ? "setting" : change.collection.replace(/s$/, "")} <strong>{change.name}</strong></li>
            ))}
          </ul>
          {conflict.rebased.conflicts.length > 0 && (
            <p className="warning-text">You both changed: {conflict.rebased.conflicts.map((change) => change.name).join(", ")}. Your version of these is kept.</p>
          )}
          <div className="dialog-actions">
            <button type="button" onClick={onClose}>Not now</button>
            <button type="button" className="primary" onClick={onReload}>Reload their revision and keep my edits</button>
          </div>
        </div>
      )}
    </Modal>
  );
}
