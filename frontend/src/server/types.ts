/** What the server answers: the live plan, problems with a document, revisions, export jobs. */

import type { DesignDocument } from "../document/types";

/** A bridge, VXLAN device or bond the plan gives a device: named when it has a few, counted by kind when many. */
export type OverlayInterface = { name: string; kind: string; mtu: number | null } | { kind: string; count: number };

/** What a device's node shows of the plan. */
export interface PlannedDevice {
  loopback_v4: string | null;
  asn: number | null;
  /** NIC name -> its planned MTU. */
  nic_mtus: Record<string, number | null>;
  overlay: OverlayInterface[];
}

export interface PlannedLink {
  id: string;
  a_mtu: number | null;
  b_mtu: number | null;
  subnet: string | null;
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

/** The live plan of the working document: what the canvas draws; the tables only when asked for. */
export interface LivePlan {
  devices: Record<string, PlannedDevice>;
  links: PlannedLink[];
  /** Network id -> its VNI. */
  vnis: Record<string, number>;
  tables?: PlanTable[];
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
  number: number;
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

/** The states of a background job, as the server names them. */
export type JobStatus = "queued" | "running" | "succeeded" | "failed";

export interface Job {
  id: number | string;
  status: JobStatus;
  progress: number;
  log: string[];
  result?: { download_url?: string } | null;
  error?: string | null;
}
