/** Notices: what the editor tells the person (a refused edit, a restored draft, a save, an export ready, a newer
 * revision), shown over the canvas where they are looking. A notice with the same key replaces the last one. */

import { useCallback, useEffect, useRef, useState } from "react";

export type Tone = "info" | "success" | "warning" | "error";

export interface NoticeAction {
  label: string;
  run: () => void;
}

export interface Notice {
  key: string;
  tone: Tone;
  text: string;
  actions?: NoticeAction[];
  link?: { href: string; label: string };
  /** Stays until dismissed or replaced; others fade after a while. */
  lasting?: boolean;
}

export const NOTICE_MS = 8000;

export interface Notices {
  notices: Notice[];
  notify: (notice: Notice) => void;
  dismiss: (key: string) => void;
}

export function useNotices(): Notices {
  const [notices, setNotices] = useState<Notice[]>([]);
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const dismiss = useCallback((key: string) => {
    clearTimeout(timers.current.get(key));
    timers.current.delete(key);
    setNotices((current) => current.filter((notice) => notice.key !== key));
  }, []);
  const notify = useCallback((notice: Notice) => {
    clearTimeout(timers.current.get(notice.key));
    setNotices((current) => [...current.filter((other) => other.key !== notice.key), notice]);
    if (!notice.lasting && notice.tone !== "error") timers.current.set(notice.key, setTimeout(() => dismiss(notice.key), NOTICE_MS));
  }, [dismiss]);
  useEffect(() => () => timers.current.forEach(clearTimeout), []);
  return { notices, notify, dismiss };
}
