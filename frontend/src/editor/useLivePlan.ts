/** The live plan: the working document is planned by the server shortly after each edit, keeping the
 * addresses, ASNs and keys its base revision pinned, so what the canvas shows is what an export writes. */

import { useEffect, useRef, useState } from "react";

import { namedLinks, namedPaths } from "../document/elements";
import type { DesignDocument } from "../document/types";
import { api } from "../server/api";
import type { LivePlan, PlanTable, Problem } from "../server/types";

export const PLAN_DELAY_MS = 250;

export interface LivePlanState {
  plan: LivePlan | null;
  /** The plan tables, from the last answer that was asked for them. */
  tables: PlanTable[];
  problems: Problem[];
  /** Milliseconds from sending the document to having the answer, as the person waits for it. */
  roundTripMs: number | null;
  pending: boolean;
  failure: string | null;
  /** Counts answers, so a reader can wait for the plan of the document it just drew. */
  answers: number;
}

interface Asked {
  doc: DesignDocument;
  revision: string | number | null;
  tables: boolean;
}

/** Plans `doc` after each edit; with `withTables` (the Plan tab is open) the answers carry the plan tables too. */
export function useLivePlan(doc: DesignDocument, revision: string | number | null, withTables: boolean): LivePlanState {
  const [state, setState] = useState<LivePlanState>({
    plan: null, tables: [], problems: [], roundTripMs: null, pending: false, failure: null, answers: 0,
  });
  const inFlight = useRef<AbortController | null>(null);
  // Opening the Plan tab asks again only if the last answer lacked the tables; closing it asks nothing.
  const asked = useRef<Asked | null>(null);

  useEffect(() => {
    const last = asked.current;
    if (last && last.doc === doc && last.revision === revision && (last.tables || !withTables)) return undefined;
    setState((current) => (current.pending ? current : { ...current, pending: true }));
    const timer = setTimeout(async () => {
      asked.current = { doc, revision, tables: withTables };
      inFlight.current?.abort();
      const controller = new AbortController();
      inFlight.current = controller;
      const started = performance.now();
      try {
        const answer = await api.plan(doc, revision, withTables, controller.signal);
        const roundTripMs = Math.round(performance.now() - started);
        if (controller.signal.aborted) return;
        setState((current) => "problems" in answer.data
          ? { ...current, problems: answer.data.problems.map((problem) => ({ ...problem, message: namedPaths(doc, problem.message) })),
            roundTripMs, pending: false, failure: null, answers: current.answers + 1 }
          : { plan: { ...answer.data, findings: answer.data.findings.map((finding) => ({ ...finding, message: namedLinks(doc, finding.message) })) },
            tables: answer.data.tables ?? [], problems: [], roundTripMs, pending: false, failure: null, answers: current.answers + 1 });
      } catch (error) {
        if (controller.signal.aborted) return;
        setState((current) => ({ ...current, pending: false, failure: (error as Error).message }));
      }
    }, PLAN_DELAY_MS);
    return () => clearTimeout(timer);
  }, [doc, revision, withTables]);

  useEffect(() => () => inFlight.current?.abort(), []);
  return state;
}
