/** The status line: what the live plan says, how long it took, and what the last edit could not do. */

import type { LivePlanState } from "../editor/useLivePlan";

export function StatusBar({ live, message, onDismiss, draftNote }: {
  live: LivePlanState; message: string | null; onDismiss: () => void; draftNote: string | null;
}) {
  const summary = live.plan?.summary;
  return (
    <footer className="statusbar" data-testid="status" data-plan-ms={live.roundTripMs ?? ""}
      data-server-ms={live.plan?.server_ms ?? ""} data-answers={live.answers} data-pending={live.pending}>
      {message && (
        <span className="status-message" role="alert">{message} <button type="button" className="link" onClick={onDismiss}>dismiss</button></span>
      )}
      {draftNote && <span className="status-draft">{draftNote}</span>}
      <span className="status-plan" aria-live="polite">
        {live.failure ? `live plan failed: ${live.failure}`
          : live.problems.length ? `${live.problems.length} problem${live.problems.length > 1 ? "s" : ""} stop the plan`
          : summary ? `${summary.devices} devices · ${summary.links} links · ${summary.sessions} BGP sessions · ${summary.vnis} VNIs · `
            + `${summary.errors} errors · ${summary.warnings} warnings` : "planning…"}
        {live.roundTripMs !== null && ` · plan in ${live.roundTripMs} ms (server ${live.plan?.server_ms ?? "?"} ms)`}
        {live.pending && " · updating"}
      </span>
    </footer>
  );
}
