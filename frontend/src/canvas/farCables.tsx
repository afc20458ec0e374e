/** Zoomed far out, cables are strokes of a few paths instead of drawing elements of their own: a large fabric then
 * costs the browser a few dozen shapes to lay out and paint per frame, not hundreds. The cables of one area of
 * the drawing share a path, so painting a part of the view touches only the paths there; cables with findings
 * get paths of their own, in their severity's colour. */

import { ViewportPortal } from "@xyflow/react";
import { memo, useMemo } from "react";

import type { Marks } from "../editor/findings";
import type { Scene } from "./scene";

// The side of the square areas whose cables share a path, in canvas units.
const AREA = 1200;

function FarCablesView({ scene, marks }: { scene: Scene; marks: Map<string, Marks> }) {
  const paths = useMemo(() => {
    const groups = new Map<string, { severity: string; parts: string[] }>();
    for (const cable of scene.cables) {
      const severity = marks.get(cable.link.id)?.severity ?? "";
      const area = `${Math.floor((cable.a.x + cable.b.x) / 2 / AREA)},${Math.floor((cable.a.y + cable.b.y) / 2 / AREA)}`;
      const key = `${severity}@${area}`;
      const group = groups.get(key) ?? { severity, parts: [] };
      group.parts.push(`M${cable.a.x},${cable.a.y}L${cable.b.x},${cable.b.y}`);
      groups.set(key, group);
    }
    return [...groups].map(([key, { severity, parts }]) => ({ key, severity, d: parts.join(" ") }));
  }, [scene, marks]);
  return (
    <ViewportPortal>
      <svg className="far-cables" width={1} height={1} aria-hidden="true">
        {paths.map(({ key, severity, d }) => <path key={key} className={severity ? `marked-${severity}` : undefined} d={d} />)}
      </svg>
    </ViewportPortal>
  );
}

export const FarCables = memo(FarCablesView);
