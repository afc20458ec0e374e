/** How each element looks on the canvas: devices with their ports, racks, and overlay networks. */

import { Handle, Position, type NodeProps } from "@xyflow/react";
import { memo, useContext } from "react";

import type { Marks } from "../editor/findings";
import type { PlannedDevice } from "../server/types";
import { CanvasActions } from "./actions";
import type { DeviceData, OverlayData, RackData } from "./flow";
import { deviceSize, PORT_ROW } from "./geometry";

function Badge({ marks, id }: { marks: Marks | undefined; id: string }) {
  const actions = useContext(CanvasActions);
  if (!marks) return null;
  return (
    <button type="button" className={`badge badge-${marks.severity} nodrag`} title={marks.messages.join("\n")}
      aria-label={`${marks.count} ${marks.severity === "info" ? "note" : marks.severity}${marks.count > 1 ? "s" : ""} on ${id}`}
      data-severity={marks.severity} onClick={(event) => { event.stopPropagation(); actions.showFindings(id); }}>
      {marks.severity === "error" ? "!" : marks.severity === "warning" ? "▲" : "i"} {marks.count}
    </button>
  );
}

function overlayInterfaces(planned: PlannedDevice | undefined): string {
  return (planned?.overlay ?? []).map((iface) => ("count" in iface ? `${iface.count} ${iface.kind}`
    : `${iface.name}${iface.mtu ? ` ${iface.mtu}` : ""}`)).join(" · ");
}

function DeviceNodeView({ id, data, selected }: NodeProps) {
  const { device, planned, marks, chosenPorts, cabled } = data as DeviceData;
  const actions = useContext(CanvasActions);
  const bondOf = new Map((device.bonds ?? []).flatMap((bond) => bond.members.map((member) => [member, bond.name])));
  const nics = device.nics ?? [];
  return (
    <div className={`device role-${device.role}${selected ? " selected" : ""}${marks ? ` marked-${marks.severity}` : ""}`}
      data-testid={`device-${id}`} style={{ height: deviceSize(device).height }}>
      <div className="device-head">
        <span className="device-name">{device.name}</span>
        <Badge marks={marks} id={id} />
        <div className="device-kind">{device.role} · {device.platform}</div>
        <div className="device-plan" data-testid={`plan-${id}`}>
          {planned ? (
            <>
              <span className="loopback" title="loopback">{planned.loopback_v4 ?? "no loopback"}</span>
              {planned.asn !== null && <span className="asn" title="BGP ASN"> AS{planned.asn}</span>}
            </>
          ) : <span className="pending">planning…</span>}
        </div>
      </div>
      <ul className="ports">
        {nics.map((nic, index) => {
          const chosen = chosenPorts.includes(nic.name);
          return (
            <li key={`${index}:${nic.name}`} className={`port${chosen ? " chosen" : ""}${cabled.has(nic.name) ? " cabled" : ""}`}
              style={{ height: PORT_ROW }}>
              <button type="button" className="port-name nodrag" aria-pressed={chosen}
                aria-label={`NIC ${nic.name} of ${device.name}`} data-testid={`port-${id}-${nic.name}`}
                onClick={(event) => { event.stopPropagation(); actions.togglePort(id, nic.name); }}>
                {nic.name}
              </button>
              <span className="port-facts">
                {bondOf.has(nic.name) && <span className="port-bond">{bondOf.get(nic.name)}</span>}
                {nic.speed}
                <span className="port-mtu" data-testid={`mtu-${id}-${nic.name}`}>{planned?.nic_mtus[nic.name] ?? ""}</span>
              </span>
              <Handle type="source" position={Position.Right} id={`nic:${nic.name}`} className="port-handle"
                aria-label={`cable from ${device.name} ${nic.name}`} />
            </li>
          );
        })}
      </ul>
      <div className="device-foot" title="bonds, bridges and VXLAN devices the plan gives this device">
        {overlayInterfaces(planned)}
      </div>
      <Handle type="source" position={Position.Bottom} id="attach" className="attach-handle"
        aria-label={`attach ${device.name} to a network`} />
    </div>
  );
}

function sameDevice(before: NodeProps, after: NodeProps): boolean {
  const a = before.data as DeviceData;
  const b = after.data as DeviceData;
  if (before.selected !== after.selected) return false;
  return a === b || (a.device === b.device && a.marksKey === b.marksKey
    && a.chosenPorts.join() === b.chosenPorts.join() && [...a.cabled].join() === [...b.cabled].join()
    && a.plannedKey === b.plannedKey);
}

export const DeviceNode = memo(DeviceNodeView, sameDevice);

function RackNodeView({ id, data, selected }: NodeProps) {
  const { rack, marks } = data as RackData;
  return (
    <div className={`rack${selected ? " selected" : ""}`} data-testid={`rack-${id}`}>
      <div className="rack-head">
        <span className="rack-name">{rack.name}</span>
        <Badge marks={marks} id={id} />
      </div>
    </div>
  );
}

export const RackNode = memo(RackNodeView, (a, b) =>
  a.selected === b.selected && (a.data as RackData).rack === (b.data as RackData).rack
  && (a.data as RackData).marksKey === (b.data as RackData).marksKey);

const OVERLAY_TITLE = { network: "network", vrf: "VRF", mesh: "WireGuard mesh" };

function OverlayNodeView({ id, data, selected }: NodeProps) {
  const { kind, element, detail, marks } = data as OverlayData;
  return (
    <div className={`overlay overlay-${kind}${selected ? " selected" : ""}${marks ? ` marked-${marks.severity}` : ""}`}
      data-testid={`${kind}-${id}`}>
      <Handle type="target" position={Position.Top} id="in" className="overlay-handle"
        aria-label={`draw a device to ${element.name}`} />
      <div className="overlay-name">{element.name} <Badge marks={marks} id={id} /></div>
      <div className="overlay-detail">{OVERLAY_TITLE[kind]} · {detail}</div>
      {kind === "network" && <Handle type="source" position={Position.Bottom} id="out" className="overlay-handle"
        aria-label={`put ${element.name} in a VRF`} />}
    </div>
  );
}

export const OverlayNode = memo(OverlayNodeView, (a, b) =>
  a.selected === b.selected && (a.data as OverlayData).element === (b.data as OverlayData).element
  && (a.data as OverlayData).detail === (b.data as OverlayData).detail
  && (a.data as OverlayData).marksKey === (b.data as OverlayData).marksKey);

export const NODE_TYPES = { device: DeviceNode, rack: RackNode, overlay: OverlayNode };
