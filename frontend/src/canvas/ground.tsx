/** The ground the drawing stands on: one opaque box under all of it, in the canvas's own colour, so the browser
 * composites the drawing as a single layer (see .drawing-ground in styles.css). */

import { ViewportPortal } from "@xyflow/react";
import { memo } from "react";

import type { Box } from "./geometry";

// Room past the elements' boxes for what is drawn beyond them: cable curves, labels and badges.
const MARGIN = 400;

function GroundView({ bounds }: { bounds: Box }) {
  return (
    <ViewportPortal>
      <div className="drawing-ground" aria-hidden="true" style={{
        left: bounds.x - MARGIN, top: bounds.y - MARGIN, width: bounds.width + 2 * MARGIN, height: bounds.height + 2 * MARGIN,
      }} />
    </ViewportPortal>
  );
}

export const Ground = memo(GroundView);
