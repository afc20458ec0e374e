/** How much of each element the canvas draws: everything close up; zoomed far out, where port names and cable
 * labels could not be read, only outlines and names, so a large fabric draws, pans and zooms quickly. Coming
 * close, once the view stops moving, devices get their detail a few dozen per frame, so neither a zoom nor the
 * frames after it stall on drawing hundreds at once. */

import { createContext, useContext, useSyncExternalStore } from "react";

/** A design with more nodes than this is large: only what is in view is drawn, and below FAR_ZOOM only as outlines
 * and names. A small one is always drawn whole, which costs little and keeps it readable at any zoom. */
export const LARGE_DESIGN = 300;
export const FAR_ZOOM = 0.8;

/** Whether the view is close up: cable labels and other small print are drawn. */
export const CloseUp = createContext(true);

/** How many devices (in the document's order) are drawn in detail; a device subscribes to its own answer only. */
export class DetailBudget {
  private budget: number;
  private listeners = new Set<() => void>();

  constructor(closeUp: boolean) {
    this.budget = closeUp ? Infinity : 0;
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  allows(rank: number): boolean {
    return rank < this.budget;
  }

  set(budget: number): void {
    if (budget === this.budget) return;
    this.budget = budget;
    for (const listener of this.listeners) listener();
  }

  get value(): number {
    return this.budget;
  }
}

export const Detail = createContext(new DetailBudget(true));

/** Whether the device of this rank is drawn in detail now. */
export function useDetailed(rank: number): boolean {
  const budget = useContext(Detail);
  return useSyncExternalStore(budget.subscribe, () => budget.allows(rank));
}
