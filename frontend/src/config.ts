/** What the page hosting the canvas tells it: which design, what the person may do with it, the CSRF token. */

export interface CanvasConfig {
  design: string;
  /** What the person's role on the design allows, as the server decided it. */
  canEdit: boolean;
  canExport: boolean;
  csrfToken: string;
  apiRoot: string;
  websocketRoot: string;
  /** The socket that tells of each revision saved of the design. */
  designSocket: string;
  /** The revision the page was made for, and its number, shown in its heading. */
  revision: string | null;
  revisionNumber: number | null;
}

export const CONFIG_ELEMENT = "weft-canvas-config";
export const MOUNT_ELEMENT = "weft-canvas";

export function readConfig(doc: Document): CanvasConfig {
  const element = doc.getElementById(CONFIG_ELEMENT);
  if (!element?.textContent) throw new Error(`the page has no #${CONFIG_ELEMENT} element to configure the canvas`);
  const raw = JSON.parse(element.textContent) as Record<string, unknown>;
  if (raw.design === undefined) throw new Error(`#${CONFIG_ELEMENT} does not name the design`);
  return {
    design: String(raw.design),
    // Anything but a plain true (a page that says nothing) leaves the canvas read-only.
    canEdit: raw.can_edit === true,
    canExport: raw.can_export === true,
    csrfToken: String(raw.csrf_token ?? ""),
    apiRoot: String(raw.api ?? "/api/"),
    websocketRoot: String(raw.websocket ?? "/ws/jobs/"),
    designSocket: String(raw.design_websocket ?? `/ws/designs/${String(raw.design)}/`),
    revision: raw.revision === undefined || raw.revision === null ? null : String(raw.revision),
    revisionNumber: typeof raw.revision_number === "number" ? raw.revision_number : null,
  };
}
