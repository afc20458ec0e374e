/** The toolbar: every editor action as a labelled button, with its keyboard shortcut in the title. */

import { SHORTCUT_HINTS, type Shortcuts } from "../editor/useShortcuts";

export interface ToolbarProps {
  actions: Shortcuts & { exportBundle: () => void; discard: () => void };
  can: {
    undo: boolean; redo: boolean; copy: boolean; paste: boolean; remove: boolean; save: boolean; exportBundle: boolean;
    discard: boolean;
  };
  dirty: boolean;
  saving: boolean;
  layingOut: boolean;
  /** The number of the saved revision the editor stands on. */
  revision: number | null;
  /** Whether the person may change the design: a reader's canvas is never unsaved. */
  editable: boolean;
}

interface Tool {
  key: keyof ToolbarProps["can"] | "layout" | "fit" | "selectAll";
  label: string;
}

const TOOLS: Tool[] = [
  { key: "undo", label: "Undo" },
  { key: "redo", label: "Redo" },
  { key: "copy", label: "Copy" },
  { key: "paste", label: "Paste" },
  { key: "remove", label: "Delete" },
  { key: "selectAll", label: "Select all" },
  { key: "layout", label: "Auto layout" },
  { key: "fit", label: "Fit view" },
];

export function Toolbar({ actions, can, dirty, saving, layingOut, revision, editable }: ToolbarProps) {
  const enabled = (key: Tool["key"]) => (key in can ? can[key as keyof ToolbarProps["can"]] : true);
  return (
    <div className="toolbar" role="toolbar" aria-label="Editor actions">
      {TOOLS.map((tool) => (
        <button key={tool.key} type="button" disabled={!enabled(tool.key) || (tool.key === "layout" && layingOut)}
          title={`${tool.label} (${SHORTCUT_HINTS[tool.key as keyof Shortcuts]})`} onClick={actions[tool.key as keyof Shortcuts]}>
          {tool.key === "layout" && layingOut ? "Laying out…" : tool.label}
        </button>
      ))}
      <span className="toolbar-gap" />
      <span className={`save-state${dirty ? " dirty" : ""}`} data-testid="save-state" aria-live="polite"
        title={revision !== null ? `The canvas stands on revision ${revision}` : undefined}>
        {!editable ? "read only" : saving ? "saving…" : dirty ? "unsaved changes" : "saved"}
      </span>
      {can.discard && (
        <button type="button" onClick={actions.discard} title="Go back to the saved revision (Undo brings the edits back)">Discard</button>
      )}
      <button type="button" className="primary" disabled={!can.save || saving} onClick={actions.save}
        title={`Save a revision (${SHORTCUT_HINTS.save})`}>Save</button>
      <button type="button" disabled={!can.exportBundle} onClick={actions.exportBundle}
        title="Export a config bundle of the saved revision">Export</button>
    </div>
  );
}
