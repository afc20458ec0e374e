/** Calls to the design API: session cookies, the CSRF token on writes, JSON in and out. */

import type { DesignDocument } from "../document/types";
import type { DesignRecord, Job, LivePlan, Problem, Revision } from "./types";

export interface Answer<T> {
  status: number;
  data: T;
}

export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly data: unknown = null) {
    super(message);
  }
}

let csrfToken = "";
let apiRoot = "/api/";

/** Where the API lives and the token Django checks on writes, from the page that hosts the canvas. */
export function configureApi(root: string, token: string): void {
  apiRoot = root.endsWith("/") ? root : `${root}/`;
  csrfToken = token;
}

function detail(data: unknown, status: number): string {
  if (data && typeof data === "object" && "detail" in data) return String((data as { detail: unknown }).detail);
  return `the server answered ${status}`;
}

/** One request; the statuses in `expected` come back as answers, any other is an ApiError. */
export async function request<T>(method: string, url: string, body?: unknown, expected: number[] = [200],
  signal?: AbortSignal): Promise<Answer<T>> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken;
  const response = await fetch(url.startsWith("/") ? url : `${apiRoot}${url}`, {
    method, headers, credentials: "same-origin", signal, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { detail: text.slice(0, 200) };
  }
  if (!expected.includes(response.status)) throw new ApiError(response.status, detail(data, response.status), data);
  return { status: response.status, data: data as T };
}

export const api = {
  design: (id: string) => request<DesignRecord>("GET", `designs/${id}/`),
  schema: () => request<Record<string, unknown>>("GET", "design-schema/"),
  /** Plan the working document with the allocations pinned by `revision`, the one it was started from. */
  plan: (document: DesignDocument, revision: string | number | null, tables: boolean, signal?: AbortSignal) =>
    request<LivePlan | { problems: Problem[] }>("POST", "compile/plan/",
      { document, ...(revision === null ? {} : { revision }), ...(tables ? { tables } : {}) }, [200, 400], signal),
  save: (id: string, document: DesignDocument, message: string, baseRevision: string | number | null) =>
    request<Revision | { detail: string; current_revision: Revision }>("POST", `designs/${id}/revisions/`,
      { document, message, base_revision: baseRevision }, [201, 409, 400]),
  revision: (id: string, revision: string | number) => request<Revision>("GET", `designs/${id}/revisions/${revision}/`),
  /** The address of a revision's document as a YAML design file. */
  revisionYaml: (id: string, revision: string | number) => `${apiRoot}designs/${id}/revisions/${revision}/yaml/`,
  startExport: (id: string, format: string) =>
    request<{ job: Job }>("POST", `designs/${id}/exports/`, { format }, [202]),
  job: (id: string | number) => request<Job>("GET", `jobs/${id}/`),
};
