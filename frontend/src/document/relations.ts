/** The ties drawn between elements other than cables: attachments, mesh membership, VRF membership. */

import { listOf, memberDevice } from "./elements";
import { removeMember } from "./operations";
import { OperationError, type DesignDocument, type Network, type WireguardMesh } from "./types";

export type RelationKind = "attach" | "mesh" | "vrf";

export interface Relation {
  id: string;
  kind: RelationKind;
  source: string;
  target: string;
}

/** Every relation of the document, with ids stable as long as the two elements are. */
export function relationsOf(doc: DesignDocument): Relation[] {
  const relations: Relation[] = [];
  for (const network of listOf<Network>(doc, "networks")) {
    for (const member of network.attach ?? []) {
      const device = memberDevice(member);
      relations.push({ id: `attach:${network.id}:${device}`, kind: "attach", source: device, target: network.id });
    }
    if (network.vrf) {
      relations.push({ id: `vrf:${network.id}`, kind: "vrf", source: network.id, target: network.vrf });
    }
  }
  for (const mesh of listOf<WireguardMesh>(doc, "wireguard")) {
    for (const member of mesh.members ?? []) {
      const device = memberDevice(member);
      relations.push({ id: `mesh:${mesh.id}:${device}`, kind: "mesh", source: device, target: mesh.id });
    }
  }
  return relations;
}

export function isRelationId(id: string): boolean {
  return /^(attach|mesh|vrf):/.test(id);
}

/** Undo one relation: detach the device, leave the mesh, or take the network out of its VRF. */
export function removeRelation(doc: DesignDocument, relationId: string): DesignDocument {
  const relation = relationsOf(doc).find((candidate) => candidate.id === relationId);
  if (!relation) throw new OperationError(`there is no relation '${relationId}'`);
  if (relation.kind === "attach") return removeMember(doc, "networks", "attach", relation.target, relation.source);
  if (relation.kind === "mesh") return removeMember(doc, "wireguard", "members", relation.target, relation.source);
  return {
    ...doc,
    networks: listOf<Network>(doc, "networks").map((network) => {
      if (network.id !== relation.source) return network;
      const { vrf: _vrf, ...rest } = network;
      return rest;
    }),
  };
}
