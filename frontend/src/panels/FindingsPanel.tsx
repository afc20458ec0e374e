/** The findings of the live plan, and the problems that stop it; choosing one selects what it concerns. */

import { deviceById, elementOfPath, locate } from "../document/elements";
import type { DesignDocument, Link } from "../document/types";
import type { Finding, Problem } from "../server/types";

interface FindingsPanelProps {
  doc: DesignDocument;
  findings: Finding[];
  problems: Problem[];
  focus: string | null;
  onSelect: (elements: string[]) => void;
}

const ICON = { error: "!", warning: "▲", info: "i" };

/** What a finding concerns, by the names the elements have now (a cable by the devices it joins). */
function concerned(doc: DesignDocument, ids: string[]): string {
  const nameOf = (id: string) => deviceById(doc, id)?.name ?? id;
  return ids.flatMap((id) => {
    const found = locate(doc, id);
    if (!found) return [];
    if (found.collection === "links") {
      const link = found.element as Link;
      return [`cable ${nameOf(link.a.device)}–${nameOf(link.b.device)}`];
    }
    return [(found.element as { name?: string }).name ?? id];
  }).join(", ");
}

export function FindingsPanel({ doc, findings, problems, focus, onSelect }: FindingsPanelProps) {
  const shown = focus ? findings.filter((finding) => finding.elements.includes(focus)) : findings;
  if (problems.length === 0 && shown.length === 0) {
    const name = focus ? (locate(doc, focus)?.element as { name?: string } | undefined)?.name ?? focus : null;
    return <p className="muted" data-testid="no-findings">No findings{name ? ` on ${name}` : ""}: the design plans cleanly.</p>;
  }
  return (
    <div className="findings-panel">
      {problems.length > 0 && (
        <>
          <h3>The design cannot be planned yet</h3>
          <ul className="findings" data-testid="problems">
            {problems.map((problem, index) => {
              const where = elementOfPath(doc, problem.path);
              return (
                <li key={index} className="finding severity-error">
                  <button type="button" disabled={!where} onClick={() => where && onSelect([where.id])}>
                    <span className="badge badge-error">!</span> <code>{problem.path || "design"}</code> {problem.message}
                    {problem.hint && <small> {problem.hint}</small>}
                  </button>
                </li>
              );
            })}
          </ul>
          <p className="muted">The design checks run again once these are fixed.</p>
        </>
      )}
      <ul className="findings" data-testid="findings">
        {shown.map((finding, index) => (
          <li key={index} className={`finding severity-${finding.severity}`} data-code={finding.code}>
            <button type="button" onClick={() => onSelect(finding.elements)} title="Select the elements it concerns">
              <span className={`badge badge-${finding.severity}`}>{ICON[finding.severity]}</span> <code>{finding.code}</code>{" "}
              {finding.message}{finding.hint && <small> {finding.hint}</small>}
              {finding.elements.length > 0 && <small className="finding-elements">on {concerned(doc, finding.elements)}</small>}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
