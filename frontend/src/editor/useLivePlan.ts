/** The live plan: the working document is planned by the server shortly after each edit, keeping the
 * addresses, ASNs and keys its base revision pinned, so what the canvas shows is what an export writes. */

import { useEffect, useRef, useState } from "react";

import type { DesignDocument } from "../document/types";
import { api } from "../server/api";
import type { LivePlan, Problem } from "../server/types";

export const PLAN_DELAY_MS = 250;

export interface LivePlanState {
  plan: LivePlan | null;
  problems: Problem[];
  /** Milliseconds from sending the document to having the answer, as the person waits for it. */
  roundTripMs: number | null;
  pending: boolean;
  failure: string | null;
  /** Counts answers, so a reader can wait for the plan of the document it just drew. */
  answers: number;
}

export function useLivePlan(doc: DesignDocument | null, revision: string | number | null): LivePlanState {
  const [state, setState] = useState<LivePlanState>({
    plan: null, problems: [], roundTripMs: null, pending: false, failure: null, answers: 0,
  });
  const inFlight = useRef<AbortController | null>(null);

  useEffect(() => {
    if (!doc) return undefined;
    setState((current) => ({ ...current, pending: true }));
    const timer = setTimeout(async () => {
      inFlight.current?.abort();
      const controller = new AbortController();
      inFlight.current = controller;
      const started = performance.now();
      try {
        const answer = await api.plan(doc, revision, controller.signal);
        const roundTripMs = Math.round(performance.now() - started);
        if (controller.signal.aborted) return;
        setState((current) => "problems" in answer.data
          ? { ...current, problems: answer.data.problems, roundTripMs, pending: false, failure: null, answers: current.answers + 1 }
          : { plan: answer.data as LivePlan, problems: [], roundTripMs, pending: false, failure: null, answers: current.answers + 1 });
        performance.mark("weft-plan-answer");
      } catch (error) {
        if (controller.signal.aborted) return;
        setState((current) => ({ ...current, pending: false, failure: (error as Error).message }));
      }
    }, PLAN_DELAY_MS);
    return () => clearTimeout(timer);
  }, [doc, revision]);

  useEffect(() => () => inFlight.current?.abort(), []);
  return state;
}
