/** What nodes drawn deep in the canvas can ask of the editor, without passing it through every prop. */

import { createContext } from "react";

export interface CanvasActionSet {
  togglePort: (device: string, nic: string) => void;
  showFindings: (element: string) => void;
}

export const CanvasActions = createContext<CanvasActionSet>({ togglePort: () => {}, showFindings: () => {} });
