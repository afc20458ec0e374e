/** Finding elements of a document by id, and the document paths (devices[3]) the compiler reports. */

import {
  DRAWN_COLLECTIONS,
  ID_COLLECTIONS,
  type Attachment,
  type DesignDocument,
  type Device,
  type DrawnCollection,
  type Element,
  type MeshMember,
} from "./types";

export interface Located {
  collection: DrawnCollection;
  index: number;
  element: Element;
}

export function listOf<T>(doc: DesignDocument, collection: string): T[] {
  const value = doc[collection];
  return Array.isArray(value) ? (value as T[]) : [];
}

export function locate(doc: DesignDocument, id: string): Located | null {
  for (const collection of DRAWN_COLLECTIONS) {
    const index = listOf<Element>(doc, collection).findIndex((element) => element.id === id);
    if (index >= 0) return { collection, index, element: listOf<Element>(doc, collection)[index] };
  }
  return null;
}

export function deviceById(doc: DesignDocument, id: string): Device | undefined {
  return listOf<Device>(doc, "devices").find((device) => device.id === id);
}

export function allIds(doc: DesignDocument): Set<string> {
  const ids = new Set<string>();
  for (const collection of ID_COLLECTIONS) {
    for (const element of listOf<{ id?: unknown }>(doc, collection)) {
      if (typeof element.id === "string") ids.add(element.id);
    }
  }
  return ids;
}

/** The device id of an attachment or mesh member, whichever of its two spellings it uses. */
export function memberDevice(member: Attachment | MeshMember): string {
  return typeof member === "string" ? member : member.device;
}

const ELEMENT_PATH = /^([a-z_]+)\[(\d+)\](.*)$/;

/** `devices[3].bonds[0].members[1]` -> the element it lies in and the rest of the path. */
export function elementOfPath(doc: DesignDocument, path: string): { id: string; field: string } | null {
  const match = ELEMENT_PATH.exec(path);
  if (!match || !(DRAWN_COLLECTIONS as readonly string[]).includes(match[1])) return null;
  const element = listOf<Element>(doc, match[1])[Number(match[2])];
  if (!element) return null;
  return { id: element.id, field: match[3].replace(/^\./, "") };
}

const KIND: Record<string, string> = {
  racks: "rack", devices: "device", links: "cable", networks: "network", vrfs: "VRF", wireguard: "WireGuard mesh",
};
const BARE_ELEMENT = /\b(racks|devices|links|networks|vrfs|wireguard)\[(\d+)\](?![.[])/g;

/** A message with the bare element paths it names (`devices[2]`) written as people name them (`device pve2`). */
export function namedPaths(doc: DesignDocument, text: string): string {
  return text.replace(BARE_ELEMENT, (path, collection: string, index: string) => {
    const list = listOf<{ id: string; name?: string }>(doc, collection);
    const element = list[Number(index)];
    if (!element) return path;
    const name = element.name ?? element.id;
    const ambiguous = list.some((other) => other !== element && (other.name ?? other.id) === name);
    return `${KIND[collection]} ${name}${ambiguous ? ` (id ${element.id})` : ""}`;
  });
}

const LINK_MENTION = /\blink ([A-Za-z0-9][A-Za-z0-9_.:-]*?)(?=[:;,]?(?:\s|$))/g;

/** A message with the cables it names by id (`link pve1-leaf1`) named by the devices they join, as they are
 * called now (`cable web1–leaf1`): a cable's id stays when a device is renamed, its devices' names do not. */
export function namedLinks(doc: DesignDocument, text: string): string {
  return text.replace(LINK_MENTION, (mention, id: string) => {
    const link = listOf<{ id: string; a: { device: string }; b: { device: string } }>(doc, "links").find((l) => l.id === id);
    if (!link) return mention;
    const name = (device: string) => deviceById(doc, device)?.name ?? device;
    return `cable ${name(link.a.device)}–${name(link.b.device)}`;
  });
}
