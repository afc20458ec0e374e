/** What a cable says on the canvas (speed, planned MTU, bond) and where along the cable it says it. */

import type { Edge } from "@xyflow/react";

import type { Device, Link } from "../document/types";
import { marksKey, type Marks } from "../editor/findings";
import type { LivePlan, PlannedLink } from "../server/types";
import { cableCurve, pointOn } from "./curves";
import { BUS_HEIGHT, CABLE_LABEL_HEIGHT, labelWidth, type Box } from "./geometry";
import { placeLabels, type LabelRequest } from "./labels";
import type { Scene } from "./scene";

export interface CableData extends Record<string, unknown> {
  /** Speed, MTU and bond, as written on the cable; empty when nothing is known yet. */
  text: string;
  /** Where along the cable the text goes, from its source (0) to its target (1). */
  t: number;
  /** Whether the text is written when the cable is not selected. */
  labelled: boolean;
  /** The two ends disagree on speed or MTU. */
  broken: boolean;
  marks: Marks | undefined;
  marksKey: string;
  subnet: string | null;
}

/** Past this many cables a label shows only on a selected or broken cable: hundreds of labels hide the drawing. */
const LABELLED_CABLES = 200;

function both<T>(a: T | undefined | null, b: T | undefined | null): { text: string; broken: boolean } {
  if (a === b || b === undefined || b === null) return { text: a === undefined || a === null ? "" : String(a), broken: false };
  if (a === undefined || a === null) return { text: String(b), broken: false };
  return { text: `${a} ≠ ${b}`, broken: true };
}

function bondOf(device: Device | undefined, nic: string): string | undefined {
  return device?.bonds?.find((bond) => bond.members.includes(nic))?.name;
}

/** `25G · 9216 · bond0`: what both ends agree on, or where they differ. */
export function cableText(link: Link, a: Device | undefined, b: Device | undefined, planned: PlannedLink | undefined) {
  const speedOf = (device: Device | undefined, nic: string) => device?.nics?.find((candidate) => candidate.name === nic)?.speed;
  const speed = both(speedOf(a, link.a.interface), speedOf(b, link.b.interface));
  const mtu = planned ? both(planned.a_mtu, planned.b_mtu) : { text: "", broken: false };
  const bonds = [...new Set([bondOf(a, link.a.interface), bondOf(b, link.b.interface)].filter(Boolean))].join("/");
  return { text: [speed.text, mtu.text, bonds].filter(Boolean).join(" · "), broken: speed.broken || mtu.broken };
}

/** What a label must not cover: every device, and the caption end of every bus. */
function labelObstacles(scene: Scene): Box[] {
  return [
    ...[...scene.devices.values()].map((device) => device.box),
    ...[...scene.buses.values()].map((bus) => ({ ...bus.box, width: Math.min(bus.box.width, bus.captionWidth + 8), height: BUS_HEIGHT })),
  ];
}

export function drawCables(scene: Scene, plan: LivePlan | null, marks: Map<string, Marks>): Edge[] {
  const planned = new Map((plan?.links ?? []).map((link) => [link.id, link]));
  const labelAll = scene.cables.length <= LABELLED_CABLES;
  const facts = scene.cables.map((cable) => cableText(cable.link, scene.devices.get(cable.link.a.device)?.device,
    scene.devices.get(cable.link.b.device)?.device, planned.get(cable.link.id)));
  const requests: LabelRequest[] = scene.cables.flatMap((cable, index) => {
    if (!facts[index].text || !(labelAll || facts[index].broken)) return [];
    const curve = cableCurve(cable.a, cable.b);
    return [{ id: cable.link.id, width: labelWidth(facts[index].text), height: CABLE_LABEL_HEIGHT, at: (t: number) => pointOn(curve, t) }];
  });
  const along = placeLabels(requests, labelObstacles(scene));
  const nameOf = (id: string) => scene.devices.get(id)?.device.name ?? id;
  return scene.cables.map((cable, index) => {
    const { link } = cable;
    const linkMarks = marks.get(link.id);
    return {
      id: link.id, source: link.a.device, sourceHandle: `nic:${link.a.interface}`,
      target: link.b.device, targetHandle: `nic:${link.b.interface}`, type: "cable", selected: false,
      className: `cable cable-${link.kind ?? "unnumbered"}${linkMarks ? ` marked-${linkMarks.severity}` : ""}`,
      data: {
        text: facts[index].text, t: along.get(link.id) ?? 0.5, labelled: labelAll || facts[index].broken,
        broken: facts[index].broken, marks: linkMarks, marksKey: marksKey(linkMarks),
        subnet: planned.get(link.id)?.subnet ?? null,
      } satisfies CableData,
      ariaLabel: `cable ${nameOf(link.a.device)} ${link.a.interface} to ${nameOf(link.b.device)} ${link.b.interface}`,
    };
  });
}
