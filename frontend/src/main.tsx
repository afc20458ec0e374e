/** Entry point: mounts the canvas on the design page, configured from the page's own data. */

import "@xyflow/react/dist/style.css";
import "./styles.css";

import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { App } from "./App";
import { MOUNT_ELEMENT, readConfig } from "./config";

performance.mark("weft-canvas-start");
const mount = document.getElementById(MOUNT_ELEMENT);
if (mount) {
  mount.classList.add("weft-canvas-mounted");
  createRoot(mount).render(
    <StrictMode>
      <App config={readConfig(document)} />
    </StrictMode>,
  );
}
// A review page draws its canvas diff with the same nodes and edges; that code loads only there.
const reviewMount = document.getElementById("weft-review-canvas");
if (reviewMount) void import("./review/review").then(({ mountReview }) => mountReview(reviewMount));
