/** What the page hosting the canvas tells it: which design and revision, who is looking, the CSRF token. */

export interface CanvasConfig {
  design: string;
  revision: string | number | null;
  role: string;
  csrfToken: string;
  apiRoot: string;
  websocketRoot: string;
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
    revision: (raw.revision as string | number | null | undefined) ?? null,
    role: String(raw.role ?? "editor"),
    csrfToken: String(raw.csrf_token ?? ""),
    apiRoot: String(raw.api ?? "/api/"),
    websocketRoot: String(raw.websocket ?? "/ws/jobs/"),
  };
}

export function canEdit(config: CanvasConfig): boolean {
  return config.role === "owner" || config.role === "editor";
}

export function canExport(config: CanvasConfig): boolean {
  return config.role === "owner" || config.role === "editor";
}
