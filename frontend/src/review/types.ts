/** What the review API answers about elements: each changed element of the design, keyed by its stable id. */

export type ElementStatus = "added" | "removed" | "changed" | "moved";

export interface FieldChange {
  path: string;
  old: unknown;
  new: unknown;
}

export interface ElementChange {
  id: string;
  collection: string;
  status: ElementStatus;
  name: string;
  fields: FieldChange[];
}

/** Which drawing the canvas diff shows: the base, the head, both (removed elements as ghosts), or only changes. */
export type DiffView = "base" | "head" | "both" | "changes";

export const DIFF_VIEWS: { view: DiffView; label: string }[] = [
  { view: "base", label: "Base" },
  { view: "head", label: "Head" },
  { view: "both", label: "Both" },
  { view: "changes", label: "Only changes" },
];

export interface ReviewConfig {
  review: string;
  design: string;
  base: string;
  head: string;
  apiRoot: string;
  csrfToken: string;
}

export const REVIEW_CONFIG_ELEMENT = "weft-review-config";
export const REVIEW_MOUNT_ELEMENT = "weft-review-canvas";

export function readReviewConfig(doc: Document): ReviewConfig {
  const element = doc.getElementById(REVIEW_CONFIG_ELEMENT);
  if (!element?.textContent) throw new Error(`the page has no #${REVIEW_CONFIG_ELEMENT} element`);
  const raw = JSON.parse(element.textContent) as Record<string, unknown>;
  return {
    review: String(raw.review), design: String(raw.design), base: String(raw.base), head: String(raw.head),
    apiRoot: String(raw.api ?? "/api/"), csrfToken: String(raw.csrf_token ?? ""),
  };
}
