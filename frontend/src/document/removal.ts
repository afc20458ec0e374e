/** Deleting elements, and every reference to them, so the document stays valid after a delete. */

import { listOf, memberDevice } from "./elements";
import { isRelationId, removeRelation } from "./relations";
import type { DesignDocument, Device, Link, Network, WireguardMesh } from "./types";

function without(ids: Set<string>, list: unknown, pick: (item: never) => string = (item) => item): unknown {
  return Array.isArray(list) ? list.filter((item) => !ids.has(pick(item as never))) : list;
}

/** Remove elements and relations by id. A rack takes its devices with it; a device its cables. */
export function removeElements(doc: DesignDocument, ids: Iterable<string>): DesignDocument {
  const gone = new Set<string>();
  let out = doc;
  for (const id of ids) {
    if (isRelationId(id)) out = removeRelation(out, id);
    else gone.add(id);
  }
  if (gone.size === 0) return out;
  for (const device of listOf<Device>(out, "devices")) {
    if (device.rack !== undefined && gone.has(device.rack)) gone.add(device.id);
  }
  const isGone = (element: { id: string }) => gone.has(element.id);
  const linkGone = (link: Link) => isGone(link) || gone.has(link.a.device) || gone.has(link.b.device);
  const result: DesignDocument = { ...out };
  for (const collection of ["racks", "devices", "vrfs"]) {
    if (Array.isArray(out[collection])) result[collection] = listOf<{ id: string }>(out, collection).filter((e) => !isGone(e));
  }
  if (Array.isArray(out.links)) result.links = listOf<Link>(out, "links").filter((link) => !linkGone(link));
  if (Array.isArray(out.networks)) {
    result.networks = listOf<Network>(out, "networks").filter((network) => !isGone(network)).map((network) => {
      const cleaned: Network = { ...network, attach: (network.attach ?? []).filter((m) => !gone.has(memberDevice(m))) };
      if (network.vrf !== undefined && gone.has(network.vrf)) delete cleaned.vrf;
      if (network.attach === undefined && cleaned.attach!.length === 0) delete cleaned.attach;
      return cleaned;
    });
  }
  if (Array.isArray(out.wireguard)) {
    result.wireguard = listOf<WireguardMesh>(out, "wireguard").filter((mesh) => !isGone(mesh)).map((mesh) => ({
      ...mesh,
      members: (mesh.members ?? []).filter((member) => !gone.has(memberDevice(member))),
      ...(mesh.blacklist ? { blacklist: mesh.blacklist.filter((pair) => !pair.some((id) => gone.has(id))) } : {}),
    }));
  }
  if (Array.isArray(out.egress)) {
    result.egress = listOf<{ id: string; gateways?: string[]; clients?: string[] }>(out, "egress")
      .filter((egress) => !isGone(egress))
      .map((egress) => ({ ...egress, gateways: without(gone, egress.gateways), clients: without(gone, egress.clients) }));
  }
  const underlay = out.underlay as Record<string, unknown> | undefined;
  if (underlay) {
    result.underlay = { ...underlay, route_reflectors: without(gone, underlay.route_reflectors) };
    if (underlay.route_reflectors === undefined) delete (result.underlay as Record<string, unknown>).route_reflectors;
    if (typeof underlay.mesh === "string" && gone.has(underlay.mesh)) {
      delete (result.underlay as Record<string, unknown>).mesh;
    }
  }
  const firewall = out.firewall as Record<string, unknown> | undefined | null;
  if (firewall && Array.isArray(firewall.devices)) result.firewall = { ...firewall, devices: without(gone, firewall.devices) };
  if (Array.isArray(out.fail2ban)) {
    result.fail2ban = listOf<Record<string, unknown>>(out, "fail2ban").map((jail) =>
      Array.isArray(jail.devices) ? { ...jail, devices: without(gone, jail.devices) } : jail);
  }
  return result;
}
