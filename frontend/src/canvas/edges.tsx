/** A cable between two ports, with its planned MTU (or the mismatch) written on it. */

import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from "@xyflow/react";
import { memo } from "react";

import type { Marks } from "../editor/findings";

interface CableData extends Record<string, unknown> {
  label: string;
  marks: Marks | undefined;
  subnet: string | null;
}

function CableEdgeView(props: EdgeProps) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, markerEnd, style } = props;
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const cable = data as CableData | undefined;
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} style={style} interactionWidth={12} />
      {cable?.label && (
        <EdgeLabelRenderer>
          <div className={`cable-label${cable.marks ? ` marked-${cable.marks.severity}` : ""}`}
            data-testid={`cable-label-${id}`} title={cable.marks?.messages.join("\n") ?? cable.subnet ?? ""}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}>
            {cable.marks && <span className={`badge badge-${cable.marks.severity}`}>!</span>}
            {cable.label}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

export const CableEdge = memo(CableEdgeView);

export const EDGE_TYPES = { cable: CableEdge };
