/** The status line: what the live plan says and how long it took. */

import type { LivePlanState } from "../editor/useLivePlan";

function planned(live: LivePlanState): string {
  const summary = live.plan?.summary;
  if (live.failure) return `live plan failed: ${live.failure}`;
  const stopping = live.problems.length;
  if (stopping) return `${stopping} problem${stopping > 1 ? "s stop" : " stops"} the plan: see Findings`;
  if (!summary) return "planning…";
  return `${summary.devices} devices · ${summary.links} links · ${summary.sessions} BGP sessions · ${summary.vnis} VNIs · `
    + `${summary.errors} errors · ${summary.warnings} warnings`;
}

export function StatusBar({ live }: { live: LivePlanState }) {
  return (
    <footer className="statusbar" data-testid="status" role="status" aria-label="Live plan" data-plan-ms={live.roundTripMs ?? ""}
      data-server-ms={live.plan?.server_ms ?? ""} data-answers={live.answers} data-pending={live.pending}>
      <span className="status-plan">
        {planned(live)}
        {live.roundTripMs !== null && ` · plan in ${live.roundTripMs} ms (server ${live.plan?.server_ms ?? "?"} ms)`}
        {live.pending && " · updating"}
      </span>
    </footer>
  );
}
