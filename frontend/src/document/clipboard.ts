/** Copy and paste: copied elements come back with fresh ids and counted-up names, cables included. */

import { listOf, memberDevice } from "./elements";
import { namePrefix, nextName, uniqueId } from "./naming";
import type { DesignDocument, Device, Link, Network, Position, Rack, Vrf, WireguardMesh } from "./types";

export interface Clipboard {
  racks: Rack[];
  devices: Device[];
  links: Link[];
  networks: Network[];
  vrfs: Vrf[];
  wireguard: WireguardMesh[];
}

// Values the planner hands out once per element: a copy must get its own, not share the original's.
const ALLOCATED_DEVICE_FIELDS = ["asn", "loopback_v4", "loopback_v6"];

/** The selected elements, and the cables whose both ends are selected devices (or in selected racks). */
export function copyElements(doc: DesignDocument, ids: Iterable<string>): Clipboard {
  const chosen = new Set(ids);
  const racks = listOf<Rack>(doc, "racks").filter((rack) => chosen.has(rack.id));
  const rackIds = new Set(racks.map((rack) => rack.id));
  const devices = listOf<Device>(doc, "devices").filter(
    (device) => chosen.has(device.id) || (device.rack !== undefined && rackIds.has(device.rack)));
  const deviceIds = new Set(devices.map((device) => device.id));
  const pick = <T extends { id: string }>(collection: string) =>
    structuredClone(listOf<T>(doc, collection).filter((element) => chosen.has(element.id)));
  return {
    racks: structuredClone(racks),
    devices: structuredClone(devices),
    links: structuredClone(listOf<Link>(doc, "links").filter(
      (link) => deviceIds.has(link.a.device) && deviceIds.has(link.b.device))),
    networks: pick<Network>("networks"),
    vrfs: pick<Vrf>("vrfs"),
    wireguard: pick<WireguardMesh>("wireguard"),
  };
}

export function isEmpty(clipboard: Clipboard): boolean {
  return Object.values(clipboard).every((list) => list.length === 0);
}

/** Paste a clipboard `offset` away from where it was copied; returns the new elements' ids. */
export function pasteElements(doc: DesignDocument, clipboard: Clipboard, offset: Position): { doc: DesignDocument; ids: string[] } {
  const newId = new Map<string, string>();
  const takenIds: string[] = [];
  const takenNames: string[] = [];
  const renamed = <T extends { id: string; name: string; position?: Position }>(element: T): T => {
    const name = nextName(doc, namePrefix(element.name), takenNames);
    const id = uniqueId(doc, name, takenIds);
    takenNames.push(name);
    takenIds.push(id);
    newId.set(element.id, id);
    const position = element.position ? { x: element.position.x + offset.x, y: element.position.y + offset.y } : undefined;
    return { ...structuredClone(element), id, name, ...(position ? { position } : {}) };
  };
  const racks = clipboard.racks.map(renamed);
  const devices = clipboard.devices.map((device) => {
    const copy = renamed(device) as Device;
    for (const field of ALLOCATED_DEVICE_FIELDS) delete copy[field];
    if (copy.rack !== undefined && newId.has(copy.rack)) copy.rack = newId.get(copy.rack);
    return copy;
  });
  const vrfs = clipboard.vrfs.map(renamed);
  const wireguard = clipboard.wireguard.map((mesh) => {
    const copy = renamed(mesh);
    copy.members = (copy.members ?? []).map((member) => ({ device: newId.get(memberDevice(member)) ?? memberDevice(member) }));
    delete copy.blacklist;
    return copy;
  });
  const networks = clipboard.networks.map((network) => {
    const copy = renamed(network);
    // A VNI number is the network's identity on the wire: the copy takes the next free one.
    if (typeof copy.vni === "number") copy.vni = "auto";
    if (typeof copy.vlan === "number") copy.vlan = "auto";
    copy.attach = (copy.attach ?? []).map((member) => ({ device: newId.get(memberDevice(member)) ?? memberDevice(member) }));
    if (copy.vrf !== undefined && newId.has(copy.vrf)) copy.vrf = newId.get(copy.vrf);
    return copy;
  });
  const links = clipboard.links.map((link) => {
    const a = { ...link.a, device: newId.get(link.a.device)! };
    const b = { ...link.b, device: newId.get(link.b.device)! };
    const id = uniqueId(doc, `${a.device}-${b.device}`, takenIds);
    takenIds.push(id);
    return { ...structuredClone(link), id, a, b };
  });
  const append = <T>(collection: string, added: T[]) =>
    added.length ? { [collection]: [...listOf<T>(doc, collection), ...added] } : {};
  return {
    doc: {
      ...doc,
      ...append("racks", racks),
      ...append("devices", devices),
      ...append("links", links),
      ...append("networks", networks),
      ...append("vrfs", vrfs),
      ...append("wireguard", wireguard),
    },
    ids: [...racks, ...devices, ...networks, ...vrfs, ...wireguard].map((element) => element.id),
  };
}
