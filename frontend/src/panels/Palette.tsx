/** The palette: every kind of element as a button to drag onto the canvas, or to press to add. */

import type { DragEvent } from "react";

import { PALETTE, type PaletteItem } from "../document/catalog";
import { PALETTE_DRAG_TYPE } from "../canvas/Canvas";

const ICON: Record<string, string> = {
  rack: "▭", proxmox: "▣", debian: "▣", lxd: "▣", ganeti: "▣", router: "◈", spine: "⬒", leaf: "⬓", border: "⬔",
  gateway: "⬕", network: "◯", vrf: "◎", wireguard: "◇",
};

interface PaletteProps {
  disabled: boolean;
  onAdd: (item: PaletteItem) => void;
}

export function Palette({ disabled, onAdd }: PaletteProps) {
  const onDragStart = (event: DragEvent, item: PaletteItem) => {
    event.dataTransfer.setData(PALETTE_DRAG_TYPE, item.key);
    event.dataTransfer.effectAllowed = "copy";
  };
  return (
    <nav className="palette" aria-label="Palette">
      <h2>Add</h2>
      <ul>
        {PALETTE.map((item) => (
          <li key={item.key}>
            <button type="button" draggable={!disabled} disabled={disabled} data-palette={item.key}
              aria-label={`Add ${item.label}`} title={`Drag onto the canvas, or press to add a ${item.label}`}
              onDragStart={(event) => onDragStart(event, item)} onClick={() => onAdd(item)}>
              <span className="palette-icon" aria-hidden="true">{ICON[item.key]}</span> {item.label}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
