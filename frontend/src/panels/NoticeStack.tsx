/** The notices, stacked over the top of the canvas: each with what to do about it, and a way to close it. */

import type { Notice } from "../editor/notices";

export function NoticeStack({ notices, onDismiss }: { notices: Notice[]; onDismiss: (key: string) => void }) {
  return (
    <section className="notices" aria-label="Messages">
      {notices.map((notice) => (
        <div key={notice.key} className={`notice notice-${notice.tone}`} role={notice.tone === "error" ? "alert" : "status"}
          data-notice={notice.key}>
          <span className="notice-text">{notice.text}</span>
          {notice.link && <a className="button primary" href={notice.link.href} download>{notice.link.label}</a>}
          {notice.actions?.map((action) => (
            <button key={action.label} type="button" onClick={action.run}>{action.label}</button>
          ))}
          <button type="button" className="link notice-close" aria-label={`Close: ${notice.text}`} onClick={() => onDismiss(notice.key)}>×</button>
        </div>
      ))}
    </section>
  );
}
