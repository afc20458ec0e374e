/** Following a background job to its end: pushed over the job's websocket, polled if that fails. */

import { api } from "./api";
import type { Job } from "./types";

const FINISHED = new Set(["succeeded", "success", "done", "finished", "completed", "complete"]);
const FAILED = new Set(["failed", "failure", "error", "cancelled", "canceled"]);

export function isFinished(job: Pick<Job, "status">): boolean {
  return FINISHED.has(job.status);
}

export function isOver(job: Pick<Job, "status">): boolean {
  return FINISHED.has(job.status) || FAILED.has(job.status);
}

const POLL_MS = 1000;
const GIVE_UP_MS = 10 * 60 * 1000;

/** Calls `onUpdate` with every state of the job until it is over; returns a function that stops following. */
export function followJob(job: Job, websocketRoot: string, onUpdate: (job: Job) => void): () => void {
  let stopped = false;
  let socket: WebSocket | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const started = Date.now();
  let current = job;

  const finish = () => {
    stopped = true;
    socket?.close();
    if (timer !== undefined) clearTimeout(timer);
  };
  // The websocket carries progress; the REST answer carries the result (the download address).
  const settle = async () => {
    try {
      current = { ...current, ...(await api.job(current.id)).data };
    } catch {
      /* keep what the websocket said */
    }
    onUpdate(current);
    finish();
  };
  const poll = async () => {
    if (stopped) return;
    try {
      current = { ...current, ...(await api.job(current.id)).data };
      onUpdate(current);
    } catch {
      /* a missed poll is retried */
    }
    if (isOver(current)) finish();
    else if (Date.now() - started < GIVE_UP_MS) timer = setTimeout(poll, POLL_MS);
  };

  try {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${window.location.host}${websocketRoot}${job.id}/`);
    socket.onmessage = (event) => {
      const pushed = JSON.parse(String(event.data)) as Partial<Job> & { log?: string | string[] };
      const log = pushed.log === undefined ? current.log : Array.isArray(pushed.log) ? pushed.log
        : [...(current.log ?? []), pushed.log];
      current = { ...current, ...pushed, log };
      onUpdate(current);
      if (isOver(current)) void settle();
    };
  } catch {
    socket = null;
  }
  // Poll beside the socket too: a job that ended before the socket opened sends nothing more, and a
  // refused socket must not leave the person waiting.
  timer = setTimeout(poll, POLL_MS);
  return finish;
}
