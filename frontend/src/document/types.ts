/** The design document as the canvas edits it: the same shape the compiler's schema reads. */

export interface Position {
  x: number;
  y: number;
}

export type Role = "spine" | "leaf" | "border" | "gateway" | "hypervisor" | "router" | "host";
export type Platform = "proxmox" | "debian" | "lxd" | "ganeti" | "frr" | "cumulus";
export type NicRole = "uplink" | "vm-trunk" | "storage" | "management" | "cluster" | "oob";
export type BondMode = "active-backup" | "802.3ad" | "balance-xor";
export type LinkKind = "unnumbered" | "numbered" | "lan";

export interface Nic {
  name: string;
  speed?: string;
  role?: NicRole;
  mtu?: number;
  description?: string;
}

export interface Bond {
  name: string;
  mode?: BondMode;
  members: string[];
  [field: string]: unknown;
}

export interface Device {
  id: string;
  name: string;
  role: Role;
  platform: Platform;
  rack?: string;
  nics?: Nic[];
  bonds?: Bond[];
  position?: Position;
  [field: string]: unknown;
}

/** An element drawn as a box of its own: a rack, a VRF. */
export interface Placed {
  id: string;
  name: string;
  position?: Position;
  [field: string]: unknown;
}

export type Rack = Placed;

export interface LinkEnd {
  device: string;
  interface: string;
}

export interface Link {
  id: string;
  a: LinkEnd;
  b: LinkEnd;
  kind?: LinkKind;
  mtu?: number;
}

/** A device on a network; the schema also accepts the bare device id as shorthand. */
export type Attachment = string | { device: string; interface?: string; address?: string };

export interface Network {
  id: string;
  name: string;
  vni?: number | "auto";
  vrf?: string;
  attach?: Attachment[];
  position?: Position;
  [field: string]: unknown;
}

export type Vrf = Placed;

export type MeshMember = string | { device: string; endpoint?: string; listen_port?: number };

export interface WireguardMesh {
  id: string;
  name: string;
  members?: MeshMember[];
  blacklist?: string[][];
  position?: Position;
  [field: string]: unknown;
}

export interface DesignDocument {
  version: 1;
  name: string;
  racks?: Rack[];
  devices?: Device[];
  links?: Link[];
  networks?: Network[];
  vrfs?: Vrf[];
  wireguard?: WireguardMesh[];
  [field: string]: unknown;
}

/** Drawn as boxes of their own below the devices, tied to them by lines: networks, VRFs, WireGuard meshes. */
export const OVERLAY_COLLECTIONS = ["networks", "vrfs", "wireguard"] as const;
export type OverlayCollection = (typeof OVERLAY_COLLECTIONS)[number];

/** The collections whose elements have a place on the canvas (everything drawn but cables). */
export const PLACED_COLLECTIONS = ["racks", "devices", ...OVERLAY_COLLECTIONS] as const;

/** The collections whose elements the canvas draws, each element with a stable id. */
export const DRAWN_COLLECTIONS = ["racks", "devices", "links", ...OVERLAY_COLLECTIONS] as const;
export type DrawnCollection = (typeof DRAWN_COLLECTIONS)[number];

/** Every collection whose ids share one namespace (the compiler checks ids unique across these). */
export const ID_COLLECTIONS = [...DRAWN_COLLECTIONS, "egress"] as const;

export type Element = Rack | Device | Link | Network | Vrf | WireguardMesh;

export class OperationError extends Error {
  /** An edit the document cannot take; the message says what and where, for the person drawing. */
}
