/** Mounts the canvas diff on a review page (loaded only there, as its own chunk). */

import "./review.css";

import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { ReviewCanvasApp } from "./ReviewCanvas";
import { readReviewConfig } from "./types";

export function mountReview(element: HTMLElement): void {
  element.classList.add("weft-review-mounted");
  createRoot(element).render(
    <StrictMode>
      <ReviewCanvasApp config={readReviewConfig(document)} />
    </StrictMode>,
  );
}
