/** Keyboard shortcuts of the editor, ignored while the person types in a field. */

import { useEffect } from "react";

export interface Shortcuts {
  undo: () => void;
  redo: () => void;
  copy: () => void;
  paste: () => void;
  remove: () => void;
  selectAll: () => void;
  save: () => void;
  layout: () => void;
  fit: () => void;
}

export const SHORTCUT_HINTS: Record<keyof Shortcuts, string> = {
  undo: "Ctrl+Z", redo: "Ctrl+Shift+Z", copy: "Ctrl+C", paste: "Ctrl+V", remove: "Delete", selectAll: "Ctrl+A",
  save: "Ctrl+S", layout: "Shift+L", fit: "Shift+F",
};

function typing(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return !!element && (element.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(element.tagName));
}

export function useShortcuts(actions: Shortcuts, enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return undefined;
    const onKey = (event: KeyboardEvent) => {
      if (typing(event.target) || document.querySelector("dialog[open]")) return;
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      const run = (action: () => void) => {
        event.preventDefault();
        action();
      };
      if (mod && key === "z" && !event.shiftKey) run(actions.undo);
      else if (mod && (key === "y" || (key === "z" && event.shiftKey))) run(actions.redo);
      else if (mod && key === "c") run(actions.copy);
      else if (mod && key === "v") run(actions.paste);
      else if (mod && key === "a") run(actions.selectAll);
      else if (mod && key === "s") run(actions.save);
      else if (!mod && (key === "delete" || key === "backspace")) run(actions.remove);
      else if (!mod && event.shiftKey && key === "l") run(actions.layout);
      else if (!mod && event.shiftKey && key === "f") run(actions.fit);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [actions, enabled]);
}
