/** Following a background job to its end: pushed over the job's websocket, polled only when that cannot be. */

import { api } from "./api";
import { socketUrl } from "./sockets";
import type { Job } from "./types";

export function isFinished(job: Pick<Job, "status">): boolean {
  return job.status === "succeeded";
}

export function isOver(job: Pick<Job, "status">): boolean {
  return job.status === "succeeded" || job.status === "failed";
}

const POLL_MS = 1000;
const GIVE_UP_MS = 10 * 60 * 1000;

/**
 * Calls `onUpdate` with every state of the job until it is over; returns a function that stops following.
 * The server sends the job's whole state when the socket opens and on every change, the result included.
 */
export function followJob(job: Job, websocketRoot: string, onUpdate: (job: Job) => void): () => void {
  let stopped = false;
  let socket: WebSocket | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const started = Date.now();

  const stop = () => {
    stopped = true;
    socket?.close();
    if (timer !== undefined) clearTimeout(timer);
  };
  const update = (state: Job) => {
    if (stopped) return;
    onUpdate(state);
    if (isOver(state)) stop();
  };
  const poll = async () => {
    try {
      update((await api.job(job.id)).data);
    } catch {
      /* a missed poll is retried */
    }
    if (!stopped && Date.now() - started < GIVE_UP_MS) timer = setTimeout(poll, POLL_MS);
  };

  try {
    socket = new WebSocket(socketUrl(`${websocketRoot}${job.id}/`));
    socket.onmessage = (event) => update(JSON.parse(String(event.data)) as Job);
    // Refused, or lost before the job ended: the person must not be left waiting.
    socket.onclose = () => {
      if (!stopped) void poll();
    };
  } catch {
    void poll();
  }
  return stop;
}
