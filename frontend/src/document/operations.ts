/** Edits of a design document: each takes a document and returns a new one, never changing its input. */

import { paletteItem } from "./catalog";
import { deviceById, listOf, locate, memberDevice } from "./elements";
import { nextName, uniqueId } from "./naming";
import {
  ID_COLLECTIONS,
  OperationError,
  PLACED_COLLECTIONS,
  type Bond,
  type BondMode,
  type DesignDocument,
  type Device,
  type Element,
  type Link,
  type LinkEnd,
  type Network,
  type Position,
  type WireguardMesh,
} from "./types";

export interface Added {
  doc: DesignDocument;
  id: string;
}

function withList<T>(doc: DesignDocument, collection: string, list: T[]): DesignDocument {
  return { ...doc, [collection]: list };
}

function replaceElement(doc: DesignDocument, id: string, change: (element: Element) => Element): DesignDocument {
  const found = locate(doc, id);
  if (!found) throw new OperationError(`there is no element with id '${id}'`);
  const list = listOf<Element>(doc, found.collection).slice();
  list[found.index] = change(found.element);
  return withList(doc, found.collection, list);
}

function rounded(position: Position): Position {
  return { x: Math.round(position.x), y: Math.round(position.y) };
}

/** Add a new element from the palette at `position`, named by counting up from its kind's prefix. */
export function addElement(doc: DesignDocument, key: string, position: Position, rack?: string): Added {
  const item = paletteItem(key);
  const name = nextName(doc, item.prefix);
  const id = uniqueId(doc, name);
  const at = rounded(position);
  switch (item.kind) {
    case "rack":
      return { doc: withList(doc, "racks", [...listOf(doc, "racks"), { id, name, position: at }]), id };
    case "device": {
      if (rack !== undefined && !locate(doc, rack)) throw new OperationError(`there is no rack '${rack}'`);
      const device: Device = { id, name, role: item.role!, platform: item.platform!, nics: item.nics!() };
      if (rack !== undefined) device.rack = rack;
      device.position = at;
      return { doc: withList(doc, "devices", [...listOf(doc, "devices"), device]), id };
    }
    case "network": {
      const network: Network = { id, name, vni: "auto", attach: [], position: at };
      return { doc: withList(doc, "networks", [...listOf(doc, "networks"), network]), id };
    }
    case "vrf":
      return { doc: withList(doc, "vrfs", [...listOf(doc, "vrfs"), { id, name, position: at }]), id };
    case "wireguard": {
      const mesh: WireguardMesh = { id, name, members: [], position: at };
      return { doc: withList(doc, "wireguard", [...listOf(doc, "wireguard"), mesh]), id };
    }
  }
}

/** Move elements to new positions; a rack that moves takes the devices in it along. */
export function moveElements(doc: DesignDocument, moves: { id: string; position: Position }[]): DesignDocument {
  const target = new Map(moves.map((move) => [move.id, rounded(move.position)]));
  const rackShift = new Map<string, Position>();
  for (const rack of listOf<{ id: string; position?: Position }>(doc, "racks")) {
    const to = target.get(rack.id);
    if (to) rackShift.set(rack.id, { x: to.x - (rack.position?.x ?? 0), y: to.y - (rack.position?.y ?? 0) });
  }
  let out = doc;
  for (const collection of PLACED_COLLECTIONS) {
    const list = listOf<Element & { position?: Position; rack?: string }>(out, collection);
    let changed = false;
    const moved = list.map((element) => {
      let to = target.get(element.id);
      const shift = element.rack !== undefined ? rackShift.get(element.rack) : undefined;
      if (!to && shift && element.position) {
        to = { x: element.position.x + shift.x, y: element.position.y + shift.y };
      }
      if (!to) return element;
      changed = true;
      return { ...element, position: to };
    });
    if (changed) out = withList(out, collection, moved);
  }
  return out;
}

/** Put a device in a rack, or take it out with `rack` undefined. */
export function placeInRack(doc: DesignDocument, deviceId: string, rack: string | undefined): DesignDocument {
  if (!deviceById(doc, deviceId)) throw new OperationError(`there is no device '${deviceId}'`);
  if (rack !== undefined && locate(doc, rack)?.collection !== "racks") {
    throw new OperationError(`there is no rack '${rack}'`);
  }
  return replaceElement(doc, deviceId, (element) => {
    const { rack: _old, ...device } = element as Device;
    return rack === undefined ? device : { ...device, rack };
  });
}

function cableOn(doc: DesignDocument, end: LinkEnd): Link | undefined {
  return listOf<Link>(doc, "links").find((link) =>
    [link.a, link.b].some((other) => other.device === end.device && other.interface === end.interface));
}

function checkNic(doc: DesignDocument, end: LinkEnd): Device {
  const device = deviceById(doc, end.device);
  if (!device) throw new OperationError(`there is no device '${end.device}'`);
  if (!(device.nics ?? []).some((nic) => nic.name === end.interface)) {
    throw new OperationError(`${device.name} has no NIC '${end.interface}'`);
  }
  const cable = cableOn(doc, end);
  if (cable) {
    const other = cable.a.device === end.device && cable.a.interface === end.interface ? cable.b : cable.a;
    const peer = deviceById(doc, other.device)?.name ?? other.device;
    throw new OperationError(`${device.name}:${end.interface} is already cabled to ${peer}:${other.interface}`);
  }
  return device;
}

const L2_ROLES = new Set(["management", "oob", "storage", "cluster", "vm-trunk"]);

/** Cable two NICs together. Uplinks carry BGP unnumbered; anything else is a plain LAN cable. */
export function connect(doc: DesignDocument, a: LinkEnd, b: LinkEnd): Added {
  if (a.device === b.device) {
    const name = deviceById(doc, a.device)?.name ?? a.device;
    throw new OperationError(`${name} ${a.interface} and ${b.interface} are ports of one device: a cable joins two devices`);
  }
  const deviceA = checkNic(doc, a);
  const deviceB = checkNic(doc, b);
  const roles = [deviceA, deviceB].map((device, i) =>
    device.nics!.find((nic) => nic.name === [a, b][i].interface)!.role);
  const id = uniqueId(doc, `${deviceA.id}-${deviceB.id}`);
  const link: Link = { id, a: { ...a }, b: { ...b } };
  if (roles.some((role) => role !== undefined && L2_ROLES.has(role))) link.kind = "lan";
  return { doc: withList(doc, "links", [...listOf(doc, "links"), link]), id };
}

/** Bond NICs of one device into a new `bondN`; a NIC can be in one bond only. */
export function bondNics(doc: DesignDocument, deviceId: string, nics: string[], mode: BondMode): Added {
  const device = deviceById(doc, deviceId);
  if (!device) throw new OperationError(`there is no device '${deviceId}'`);
  if (nics.length < 2) throw new OperationError(`select two or more NICs of ${device.name} to bond`);
  const bonds = device.bonds ?? [];
  for (const nic of nics) {
    if (!(device.nics ?? []).some((candidate) => candidate.name === nic)) {
      throw new OperationError(`${device.name} has no NIC '${nic}'`);
    }
    const holder = bonds.find((bond) => bond.members.includes(nic));
    if (holder) throw new OperationError(`${device.name}:${nic} is already a member of ${holder.name}`);
  }
  const taken = new Set([...(device.nics ?? []).map((nic) => nic.name), ...bonds.map((bond) => bond.name)]);
  let n = 0;
  while (taken.has(`bond${n}`)) n += 1;
  const bond: Bond = { name: `bond${n}`, mode, members: [...nics] };
  const updated = replaceElement(doc, deviceId, (element) => ({ ...element, bonds: [...bonds, bond] }));
  return { doc: updated, id: bond.name };
}

type Group = "networks" | "wireguard";
type MemberList = "attach" | "members";
type Members = (string | { device: string })[];
const GROUP_NAME: Record<Group, string> = { networks: "network", wireguard: "WireGuard mesh" };

/** The network or mesh `groupId` and its list of devices. */
function membersOf(doc: DesignDocument, collection: Group, list: MemberList, groupId: string) {
  const found = locate(doc, groupId);
  if (found?.collection !== collection) throw new OperationError(`there is no ${GROUP_NAME[collection]} '${groupId}'`);
  const group = found.element as Network | WireguardMesh;
  return { group, members: (group[list] ?? []) as Members };
}

/** Add a device to a network's `attach` or a mesh's `members`, once. */
function addMember(doc: DesignDocument, collection: Group, list: MemberList, groupId: string, deviceId: string): DesignDocument {
  const { group, members } = membersOf(doc, collection, list, groupId);
  const device = deviceById(doc, deviceId);
  if (!device) throw new OperationError(`there is no device '${deviceId}'`);
  if (members.some((member) => memberDevice(member) === deviceId)) {
    throw new OperationError(`${device.name} is already in ${GROUP_NAME[collection]} ${group.name}`);
  }
  return replaceElement(doc, groupId, () => ({ ...group, [list]: [...members, { device: deviceId }] }));
}

/** Take a device out of a network's `attach` or a mesh's `members`: detach it, or have it leave the mesh. */
export function removeMember(doc: DesignDocument, collection: Group, list: MemberList, groupId: string,
  deviceId: string): DesignDocument {
  const { group, members } = membersOf(doc, collection, list, groupId);
  return replaceElement(doc, groupId, () => ({ ...group, [list]: members.filter((member) => memberDevice(member) !== deviceId) }));
}

/** Attach a device to a network: for a VNI the planner gives it a bridge and a VXLAN device. */
export function attach(doc: DesignDocument, networkId: string, deviceId: string): DesignDocument {
  return addMember(doc, "networks", "attach", networkId, deviceId);
}

/** Make a device a member of a WireGuard mesh. */
export function joinMesh(doc: DesignDocument, meshId: string, deviceId: string): DesignDocument {
  return addMember(doc, "wireguard", "members", meshId, deviceId);
}

/** Put a network in a VRF. */
export function setVrf(doc: DesignDocument, networkId: string, vrfId: string): DesignDocument {
  if (locate(doc, vrfId)?.collection !== "vrfs") throw new OperationError(`there is no VRF '${vrfId}'`);
  if (locate(doc, networkId)?.collection !== "networks") throw new OperationError(`there is no network '${networkId}'`);
  return replaceElement(doc, networkId, (network) => ({ ...network, vrf: vrfId }));
}

/** What drawing from one element to another means: attach, join a mesh, or put a network in a VRF. */
export function relate(doc: DesignDocument, sourceId: string, targetId: string): DesignDocument {
  const source = locate(doc, sourceId);
  const target = locate(doc, targetId);
  if (!source || !target) throw new OperationError("draw between two elements of the design");
  const pair = `${source.collection}>${target.collection}`;
  switch (pair) {
    case "devices>networks": return attach(doc, targetId, sourceId);
    case "networks>devices": return attach(doc, sourceId, targetId);
    case "devices>wireguard": return joinMesh(doc, targetId, sourceId);
    case "wireguard>devices": return joinMesh(doc, sourceId, targetId);
    case "networks>vrfs": return setVrf(doc, sourceId, targetId);
    case "vrfs>networks": return setVrf(doc, targetId, sourceId);
    default:
      throw new OperationError(`a ${source.collection.replace(/s$/, "")} cannot be joined to a ` +
        `${target.collection.replace(/s$/, "")} by drawing; cable NIC to NIC, or draw a device to a network`);
  }
}

/** Replace one element with an edited version of it (the inspector's edits). Its id stays. */
export function updateElement(doc: DesignDocument, id: string, element: Element): DesignDocument {
  if (element.id !== id) throw new OperationError(`an element's id never changes (was '${id}')`);
  return replaceElement(doc, id, () => element);
}

/** Replace the design's own settings (name, policies, pools); the elements always come from `doc`. */
export function updateSettings(doc: DesignDocument, settings: Record<string, unknown>): DesignDocument {
  const out = { ...settings } as DesignDocument;
  for (const collection of ID_COLLECTIONS) {
    if (doc[collection] === undefined) delete out[collection];
    else (out as Record<string, unknown>)[collection] = doc[collection];
  }
  return out;
}
