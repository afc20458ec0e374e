/** The editor's state and its reducer: the document with its history, the selection, the clipboard. */

import { copyElements, isEmpty, pasteElements, type Clipboard } from "../document/clipboard";
import { canRedo, canUndo, record, redo, startHistory, undo, type History } from "../document/history";
import { removeElements } from "../document/removal";
import { OperationError, type DesignDocument, type Position } from "../document/types";

export interface PortSelection {
  device: string;
  nics: string[];
}

/** An element chosen or let go of on the canvas. */
export interface SelectionChange {
  id: string;
  selected: boolean;
}

export interface EditorState {
  history: History<DesignDocument>;
  selection: string[];
  ports: PortSelection | null;
  clipboard: Clipboard | null;
  /** What the last edit could not do, said to the person drawing. */
  message: string | null;
  /** Counts refused edits, so the same refusal twice is told twice. */
  refusals: number;
}

export type EditorAction =
  | { type: "edit"; change: (doc: DesignDocument) => DesignDocument | { doc: DesignDocument; id: string }; select?: boolean }
  | { type: "undo" }
  | { type: "redo" }
  | { type: "select"; ids: string[] }
  | { type: "select-change"; changes: SelectionChange[] }
  | { type: "toggle-port"; device: string; nic: string }
  | { type: "copy" }
  | { type: "paste"; offset: Position }
  | { type: "delete" }
  | { type: "dismiss" };

export function startEditor(doc: DesignDocument): EditorState {
  return { history: startHistory(doc), selection: [], ports: null, clipboard: null, message: null, refusals: 0 };
}

/** Record an edit; any edit ends a choice of NICs for a bond (the bond is made, or something else was done). */
function commit(state: EditorState, doc: DesignDocument, selection = state.selection): EditorState {
  return { ...state, history: record(state.history, doc), selection, ports: null, message: null };
}

function attempt(state: EditorState, run: () => EditorState): EditorState {
  try {
    return run();
  } catch (error) {
    if (error instanceof OperationError) return { ...state, message: error.message, refusals: state.refusals + 1 };
    throw error;
  }
}

export function editorReducer(state: EditorState, action: EditorAction): EditorState {
  const doc = state.history.present;
  switch (action.type) {
    case "edit":
      return attempt(state, () => {
        const result = action.change(doc);
        if ("doc" in result && "id" in result && typeof result.id === "string") {
          return commit(state, result.doc as DesignDocument, action.select ? [result.id] : state.selection);
        }
        return commit(state, result as DesignDocument);
      });
    case "undo":
      return canUndo(state.history) ? { ...state, history: undo(state.history), message: null } : state;
    case "redo":
      return canRedo(state.history) ? { ...state, history: redo(state.history), message: null } : state;
    case "select":
      return { ...state, selection: action.ids, ports: keepPorts(state.ports, action.ids) };
    case "select-change": {
      const next = new Set(state.selection);
      for (const change of action.changes) {
        if (change.selected) next.add(change.id);
        else next.delete(change.id);
      }
      const ids = [...next];
      return { ...state, selection: ids, ports: keepPorts(state.ports, ids) };
    }
    case "toggle-port": {
      const current = state.ports?.device === action.device ? state.ports.nics : [];
      const nics = current.includes(action.nic) ? current.filter((nic) => nic !== action.nic) : [...current, action.nic];
      return { ...state, ports: nics.length ? { device: action.device, nics } : null, selection: [action.device] };
    }
    case "copy":
      return state.selection.length ? { ...state, clipboard: copyElements(doc, state.selection), message: null } : state;
    case "paste": {
      if (!state.clipboard || isEmpty(state.clipboard)) return state;
      const pasted = pasteElements(doc, state.clipboard, action.offset);
      return commit(state, pasted.doc, pasted.ids);
    }
    case "delete":
      if (state.selection.length === 0) return state;
      return attempt(state, () => commit(state, removeElements(doc, state.selection), []));
    case "dismiss":
      return { ...state, message: null };
  }
}

function keepPorts(ports: PortSelection | null, selection: string[]): PortSelection | null {
  return ports && selection.length === 1 && selection[0] === ports.device ? ports : null;
}
