/** What the server answers: the live plan, problems with a document, revisions, export jobs. */

import type { DesignDocument } from "../document/types";

export interface PlannedInterface {
  name: string;
  kind: string;
  mtu: number | null;
  addresses: string[];
}

export interface PlannedDevice {
  name: string;
  role: string;
  platform: string;
  asn: number | null;
  router_id: string | null;
  loopback_v4: string | null;
  loopback_v6: string | null;
  vtep: string | null;
  interfaces: PlannedInterface[];
}

export interface PlannedLink {
  id: string;
  kind: string;
  a_mtu: number | null;
  b_mtu: number | null;
  subnet: string | null;
  a_address: string | null;
  b_address: string | null;
}

export interface PlanTable {
  name: string;
  title: string;
  columns: string[];
  rows: Record<string, string>[];
}

export type Severity = "error" | "warning" | "info";

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  elements: string[];
  hint: string;
}

export interface LivePlan {
  design: string;
  devices: Record<string, PlannedDevice>;
  links: PlannedLink[];
  tables: PlanTable[];
  findings: Finding[];
  summary: Record<string, number>;
  server_ms: number;
}

/** One thing wrong with the document, at a path such as devices[3].bonds[0].members[1]. */
export interface Problem {
  path: string;
  message: string;
  hint?: string;
}

export interface Revision {
  id: number | string;
  document: DesignDocument;
  message?: string;
  author?: string | null;
  created?: string;
}

export interface DesignRecord {
  id: number | string;
  name: string;
  current_revision: number | string | null;
  document: DesignDocument;
}

export interface Job {
  id: number | string;
  status: string;
  progress: number;
  log: string[];
  result?: { download_url?: string } | null;
  error?: string | null;
}
