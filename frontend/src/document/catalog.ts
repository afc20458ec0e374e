/** What the palette offers: each kind of element with the defaults a new one starts with. */

import type { Nic, Platform, Role } from "./types";

export type ElementKind = "rack" | "device" | "network" | "vrf" | "wireguard";

export interface PaletteItem {
  key: string;
  label: string;
  kind: ElementKind;
  /** The name a new element counts from: `pve` gives pve1, pve2 ... */
  prefix: string;
  role?: Role;
  platform?: Platform;
  nics?: () => Nic[];
}

function ports(names: string[], speed: string, role: Nic["role"]): Nic[] {
  return names.map((name) => ({ name, speed, role }));
}

function range(prefix: string, first: number, last: number): string[] {
  return Array.from({ length: last - first + 1 }, (_, i) => `${prefix}${first + i}`);
}

/** A server: two 25G uplinks to the leaves and two 1G onboard ports for management or a bond. */
function serverNics(): Nic[] {
  return [...ports(["enp1s0f0", "enp1s0f1"], "25G", "uplink"), ...ports(["eno1", "eno2"], "1G", "management")];
}

export const PALETTE: PaletteItem[] = [
  { key: "rack", label: "Rack", kind: "rack", prefix: "rack" },
  { key: "proxmox", label: "Proxmox node", kind: "device", prefix: "pve", role: "hypervisor", platform: "proxmox",
    nics: serverNics },
  { key: "debian", label: "Debian host", kind: "device", prefix: "deb", role: "hypervisor", platform: "debian",
    nics: serverNics },
  { key: "lxd", label: "LXD host", kind: "device", prefix: "lxd", role: "hypervisor", platform: "lxd",
    nics: serverNics },
  { key: "ganeti", label: "Ganeti node", kind: "device", prefix: "gnt", role: "hypervisor", platform: "ganeti",
    nics: serverNics },
  { key: "router", label: "Router", kind: "device", prefix: "rtr", role: "router", platform: "frr",
    nics: () => ports(range("eth", 0, 3), "10G", "uplink") },
  { key: "spine", label: "Spine switch", kind: "device", prefix: "spine", role: "spine", platform: "cumulus",
    nics: () => ports(range("swp", 1, 8), "100G", "uplink") },
  { key: "leaf", label: "Leaf switch", kind: "device", prefix: "leaf", role: "leaf", platform: "cumulus",
    nics: () => [...ports(range("swp", 1, 8), "25G", "uplink"), ...ports(["swp49", "swp50"], "100G", "uplink")] },
  { key: "border", label: "Border switch", kind: "device", prefix: "border", role: "border", platform: "cumulus",
    nics: () => ports(range("swp", 1, 4), "100G", "uplink") },
  { key: "gateway", label: "Gateway", kind: "device", prefix: "gw", role: "gateway", platform: "frr",
    nics: () => ports(range("eth", 0, 1), "10G", "uplink") },
  { key: "network", label: "VNI network", kind: "network", prefix: "net" },
  { key: "vrf", label: "VRF", kind: "vrf", prefix: "vrf" },
  { key: "wireguard", label: "WireGuard mesh", kind: "wireguard", prefix: "wg" },
];

export function paletteItem(key: string): PaletteItem {
  const item = PALETTE.find((candidate) => candidate.key === key);
  if (!item) throw new Error(`the palette has no item '${key}'`);
  return item;
}
