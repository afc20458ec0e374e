/** Following a design's revisions over its websocket: each revision saved, by anyone, is told as it happens. */

import { socketUrl } from "./sockets";

/** What the socket tells of a new revision: enough to offer it, not its document. */
export interface AnnouncedRevision {
  id: number | string;
  number: number;
  author: string | null;
  message: string;
}

const RETRY_MS = [1000, 2000, 5000, 10_000, 30_000];
// The server closes with this code when the design is not the person's: asking again changes nothing.
const REFUSED = 4404;

/** Calls `onRevision` for every revision saved until the returned function is called; reconnects when lost. */
export function followRevisions(path: string, onRevision: (revision: AnnouncedRevision) => void): () => void {
  let stopped = false;
  let socket: WebSocket | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  const open = () => {
    socket = new WebSocket(socketUrl(path));
    socket.onopen = () => {
      failures = 0;
    };
    socket.onmessage = (event) => {
      const told = JSON.parse(String(event.data)) as { revision?: AnnouncedRevision };
      if (told.revision) onRevision(told.revision);
    };
    socket.onclose = (event) => {
      if (stopped || event.code === REFUSED) return;
      timer = setTimeout(open, RETRY_MS[Math.min(failures, RETRY_MS.length - 1)]);
      failures += 1;
    };
  };
  open();
  return () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    socket?.close();
  };
}
