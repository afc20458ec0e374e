/** The export of a config bundle: the job's live progress and log, then the download. */

import { isFinished, isOver } from "../server/jobs";
import type { Job } from "../server/types";

export function ExportPanel({ job, failure, dirty, onClose }: {
  job: Job | null; failure: string | null; dirty: boolean; onClose: () => void;
}) {
  if (!job && !failure) return null;
  const progress = job?.progress ?? 0;
  return (
    <section className="export-panel" aria-label="Export" data-testid="export-panel">
      <header>
        <h3>Export of the saved revision</h3>
        <button type="button" className="link" onClick={onClose} aria-label="Close the export panel">×</button>
      </header>
      {dirty && <p className="muted">Unsaved edits are not in this bundle: save first to include them.</p>}
      {failure && <p className="error-text" role="alert">{failure}</p>}
      {job && (
        <>
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={progress}
            aria-label="Export progress">
            <div className={`progress-bar ${job.status}`} style={{ width: `${progress}%` }} />
          </div>
          <p aria-live="polite" data-testid="export-status">{job.status} · {progress} %{job.error ? ` · ${job.error}` : ""}</p>
          {job.log.length > 0 && <pre className="log">{job.log.slice(-20).join("\n")}</pre>}
          {isFinished(job) && job.result?.download_url && (
            <a className="button primary" href={job.result.download_url} download data-testid="download">Download</a>
          )}
          {isOver(job) && !isFinished(job) && <p className="error-text">The export failed.</p>}
        </>
      )}
    </section>
  );
}
