/** A cable between two ports, with its planned MTU (or the mismatch) written on it. */

import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from "@xyflow/react";
import { memo } from "react";

import type { CableData } from "./flow";

function CableEdgeView(props: EdgeProps) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, markerEnd, style, selected } = props;
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const cable = data as CableData | undefined;
  const label = cable && (cable.labelled || selected) ? cable.mtu : "";
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} style={style} interactionWidth={12} />
      {cable && label && (
        <EdgeLabelRenderer>
          <div className={`cable-label${cable.marks ? ` marked-${cable.marks.severity}` : ""}`}
            data-testid={`cable-label-${id}`} title={cable.marks?.messages.join("\n") ?? cable.subnet ?? ""}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}>
            {cable.marks && <span className={`badge badge-${cable.marks.severity}`}>!</span>}
            {label}
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
  return a === b || (!!a && !!b && a.mtu === b.mtu && a.labelled === b.labelled && a.marksKey === b.marksKey
    && a.subnet === b.subnet);
}

export const CableEdge = memo(CableEdgeView, sameCable);

export const EDGE_TYPES = { cable: CableEdge };
