/** Cables between ports, with speed, MTU and bond written along them, and the taps joining devices to buses. */

import { BaseEdge, EdgeLabelRenderer, Position, type EdgeProps } from "@xyflow/react";
import { memo, useContext } from "react";

import type { CableData } from "./cables";
import { cableCurve, pointOn, svgPath, type CurveEnd } from "./curves";
import { CloseUp } from "./detail";
import type { TapData } from "./flow";
import { attachAnchor, HANDLE } from "./geometry";
import type { Side } from "./ports";

const SIDE: Record<Position, Side> = { [Position.Top]: "top", [Position.Bottom]: "bottom", [Position.Left]: "left", [Position.Right]: "right" };

function CableEdgeView(props: EdgeProps) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, style, selected } = props;
  const a: CurveEnd = { x: sourceX, y: sourceY, side: SIDE[sourcePosition] };
  const b: CurveEnd = { x: targetX, y: targetY, side: SIDE[targetPosition] };
  const curve = cableCurve(a, b);
  const cable = data as CableData | undefined;
  const closeUp = useContext(CloseUp);
  const shown = closeUp && cable && cable.text && (cable.labelled || selected);
  const label = shown ? pointOn(curve, cable.t) : null;
  return (
    <>
      <BaseEdge id={id} path={svgPath(curve)} style={style} interactionWidth={12} />
      {cable && label && (
        <EdgeLabelRenderer>
          <div className={`cable-label${cable.marks ? ` marked-${cable.marks.severity}` : cable.broken ? " marked-error" : ""}`}
            data-testid={`cable-label-${id}`} title={cable.marks?.messages.join("\n") ?? cable.subnet ?? ""}
            style={{ transform: `translate(-50%, -50%) translate(${label.x}px, ${label.y}px)` }}>
            {cable.text}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

/** The flow's cables are new objects whenever the document changes: an unchanged cable is not drawn again. */
function sameCable(before: EdgeProps, after: EdgeProps): boolean {
  const keys = Object.keys(after) as (keyof EdgeProps)[];
  if (keys.length !== Object.keys(before).length || keys.some((key) => key !== "data" && before[key] !== after[key])) {
    return false;
  }
  const a = before.data as CableData | undefined;
  const b = after.data as CableData | undefined;
  return a === b || (!!a && !!b && a.text === b.text && a.t === b.t && a.labelled === b.labelled && a.marksKey === b.marksKey
    && a.subnet === b.subnet);
}

export const CableEdge = memo(CableEdgeView, sameCable);

const TAP_DOT = 3;

/** A device's tap into a bus: straight down from its bottom edge (or up from its top) to the bus line. */
function TapEdgeView({ id, sourceX, sourceY, targetY, data, style }: EdgeProps) {
  const { dx, width, height } = data as TapData;
  const anchor = attachAnchor({ width, height });
  const left = sourceX - anchor.x;
  const top = sourceY - anchor.y;
  const x = left + width / 2 + dx;
  const line = targetY + HANDLE / 2;
  const from = line < top ? top : top + height;
  return (
    <>
      <BaseEdge id={id} path={`M${x},${from} L${x},${line}`} style={style} interactionWidth={8} />
      <circle className="tap-dot" cx={x} cy={line} r={TAP_DOT} />
    </>
  );
}

export const TapEdge = memo(TapEdgeView);

export const EDGE_TYPES = { cable: CableEdge, tap: TapEdge };
