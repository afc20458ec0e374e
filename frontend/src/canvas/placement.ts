/** Where an element added by a click goes: into the chosen rack beside its devices, or onto the free spot
 * nearest the middle of the view, never on top of what is already drawn. */

import { addElement, moveElements, type Added } from "../document/operations";
import type { DesignDocument, Position } from "../document/types";
import { GRID, overlaps, RACK_PADDING, snap, type Box } from "./geometry";
import { sceneOf, type Scene } from "./scene";

const CLEARANCE = 30;
const RINGS = 60;

function drawnBoxes(scene: Scene, except: string, inRack: string | undefined): Box[] {
  const boxes: Box[] = [];
  for (const { device, box } of scene.devices.values()) {
    if (device.id !== except && (inRack === undefined || device.rack === inRack)) boxes.push(box);
  }
  if (inRack === undefined) {
    for (const [id, { box }] of scene.racks) if (id !== except) boxes.push(box);
    for (const [id, { box }] of scene.buses) if (id !== except) boxes.push(box);
    for (const [id, { box }] of scene.vrfs) if (id !== except) boxes.push(box);
  }
  return boxes;
}

/** The first spot for a box of `size`, on rings around `near`, that keeps clear of every box in `taken` (and, in a
 * rack, below and right of the rack's corner). */
function freeSpot(taken: Box[], size: { width: number; height: number }, near: Position, corner?: Position): Position {
  const clear = (at: Position) => (!corner || (at.x >= corner.x && at.y >= corner.y))
    && !taken.some((box) => overlaps({ ...at, ...size }, box, CLEARANCE));
  const step = GRID * 2;
  const start = snap({ x: near.x - size.width / 2, y: near.y - size.height / 2 });
  if (clear(start)) return start;
  for (let ring = 1; ring <= RINGS; ring += 1) {
    for (let i = -ring; i <= ring; i += 1) {
      for (const [dx, dy] of [[i, -ring], [i, ring], [-ring, i], [ring, i]]) {
        const at = { x: start.x + dx * step, y: start.y + dy * step };
        if (clear(at)) return at;
      }
    }
  }
  return start;
}

/** Add a palette item near `near` (the middle of the view), or inside `rack` after the devices already in it. */
export function addPlaced(doc: DesignDocument, key: string, near: Position, rack?: string): Added {
  const added = addElement(doc, key, near, rack);
  const scene = sceneOf(added.doc);
  const own = scene.devices.get(added.id)?.box ?? scene.racks.get(added.id)?.box ?? scene.buses.get(added.id)?.box
    ?? scene.vrfs.get(added.id)?.box;
  if (!own) return added;
  const rackBox = rack !== undefined ? sceneOf(doc).racks.get(rack)?.box : undefined;
  const target = rackBox
    ? { x: rackBox.x + RACK_PADDING.side + own.width / 2, y: rackBox.y + RACK_PADDING.top + own.height / 2 }
    : near;
  const corner = rackBox ? { x: rackBox.x + RACK_PADDING.side, y: rackBox.y + RACK_PADDING.top } : undefined;
  const at = freeSpot(drawnBoxes(scene, added.id, rack), { width: own.width, height: own.height }, target, corner);
  return { doc: moveElements(added.doc, [{ id: added.id, position: at }]), id: added.id };
}
