/** Where each role stands in a fabric drawing: spines on top, then leaves, borders and gateways, then hosts. */

import type { Device, Role } from "../document/types";

export type Tier = 0 | 1 | 2;

const TIER: Record<Role, Tier> = { spine: 0, leaf: 1, border: 1, gateway: 1, router: 1, hypervisor: 2, host: 2 };

export function tierOf(device: Pick<Device, "role">): Tier {
  return TIER[device.role] ?? 2;
}
