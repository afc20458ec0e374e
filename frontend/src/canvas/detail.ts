/** How much of each element the canvas draws: everything close up; zoomed far out, where port names and cable
 * labels could not be read, only outlines and names, so a large fabric draws, pans and zooms quickly. */

import { createContext } from "react";

/** Below this zoom the canvas draws outlines and names only. */
export const FAR_ZOOM = 0.45;

export const CloseUp = createContext(true);
