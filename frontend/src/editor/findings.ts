/** Findings and problems gathered per element, for the badges drawn on the canvas. */

import { elementOfPath } from "../document/elements";
import type { DesignDocument } from "../document/types";
import type { Finding, Problem, Severity } from "../server/types";

export interface Marks {
  severity: Severity;
  count: number;
  messages: string[];
}

const WEIGHT: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function mark(index: Map<string, Marks>, id: string, severity: Severity, message: string): void {
  const current = index.get(id);
  if (!current) {
    index.set(id, { severity, count: 1, messages: [message] });
    return;
  }
  current.count += 1;
  current.messages.push(message);
  if (WEIGHT[severity] < WEIGHT[current.severity]) current.severity = severity;
}

/** Element id -> the worst severity on it, how many, and what they say. */
export function marksByElement(doc: DesignDocument, findings: Finding[], problems: Problem[]): Map<string, Marks> {
  const index = new Map<string, Marks>();
  for (const finding of findings) {
    for (const id of finding.elements) mark(index, id, finding.severity, finding.message);
  }
  for (const problem of problems) {
    const where = elementOfPath(doc, problem.path);
    if (where) mark(index, where.id, "error", `${where.field ? `${where.field}: ` : ""}${problem.message}`);
  }
  return index;
}

/** A short key that changes when an element's marks change, so unchanged nodes skip re-rendering. */
export function marksKey(marks: Marks | undefined): string {
  return marks ? `${marks.severity}:${marks.count}:${marks.messages.join("|")}` : "";
}
