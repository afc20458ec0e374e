/** How each element looks on the canvas: devices with their ports on the edges facing their peers, racks,
 * networks and meshes as buses, VRFs. */

import { Handle, Position, type NodeProps } from "@xyflow/react";
import { memo, useContext } from "react";

import type { Device } from "../document/types";
import type { Marks } from "../editor/findings";
import type { PlannedDevice } from "../server/types";
import { CanvasActions } from "./actions";
import { useDetailed } from "./detail";
import type { BusData, DeviceData, RackData, VrfData } from "./flow";
import { ATTACH_HANDLE, BUS_LINE, HANDLE, PORT_ROW } from "./geometry";
import type { PortPlace } from "./ports";

const SEVERITY_WORD = { error: "error", warning: "warning", info: "note" };

function Badge({ marks, id, name }: { marks: Marks | undefined; id: string; name: string }) {
  const actions = useContext(CanvasActions);
  if (!marks) return null;
  return (
    <button type="button" className={`badge badge-${marks.severity} nodrag`} title={marks.messages.join("\n")}
      aria-label={`${marks.count} ${SEVERITY_WORD[marks.severity]}${marks.count > 1 ? "s" : ""} on ${name}`}
      data-severity={marks.severity} onClick={(event) => { event.stopPropagation(); actions.showFindings(id); }}>
      {marks.severity === "error" ? "!" : marks.severity === "warning" ? "▲" : "i"} {marks.count}
    </button>
  );
}

function overlayInterfaces(planned: PlannedDevice | undefined): string {
  return (planned?.overlay ?? []).map((iface) => ("count" in iface ? `${iface.count} ${iface.kind}`
    : `${iface.name}${iface.mtu ? ` ${iface.mtu}` : ""}`)).join(" · ");
}

/** Where a handle sits: centred on a point of its node's edge. */
function at(x: number, y: number) {
  return { left: x, top: y, right: "auto", bottom: "auto", transform: "translate(-50%, -50%)" };
}

const HANDLE_POSITION = { top: Position.Top, bottom: Position.Bottom, left: Position.Left, right: Position.Right };

function portTitle(device: Device, port: PortPlace, bond: string | undefined, mtu: number | null | undefined): string {
  const nic = device.nics?.find((candidate) => candidate.name === port.nic);
  const facts = [nic?.speed, nic?.role, mtu ? `MTU ${mtu}` : "", bond ? `in ${bond}` : ""].filter(Boolean).join(", ");
  const cable = port.peer ? `cabled to ${port.peer.device} ${port.peer.interface}` : "not cabled";
  return `${port.nic}${facts ? ` (${facts})` : ""}, ${cable}. Click to choose it for a bond.`;
}

function Port({ device, port, chosen, bond, mtu }: {
  device: Device; port: PortPlace; chosen: boolean; bond: string | undefined; mtu: number | null | undefined;
}) {
  const actions = useContext(CanvasActions);
  return (
    <button type="button" className={`port port-${port.side} nodrag${chosen ? " chosen" : ""}${port.peer ? " cabled" : ""}${bond ? " bonded" : ""}`}
      style={{ left: port.x, top: port.y, width: port.width, height: PORT_ROW }} aria-pressed={chosen}
      aria-label={`NIC ${port.nic} of ${device.name}${bond ? `, in ${bond}` : ""}`} title={portTitle(device, port, bond, mtu)}
      data-testid={`port-${device.id}-${port.nic}`} onClick={(event) => { event.stopPropagation(); actions.togglePort(device.id, port.nic); }}>
      {port.nic}
    </button>
  );
}

function DeviceNodeView({ id, data, selected }: NodeProps) {
  const { device, shape, planned, marks, chosenPorts, rank } = data as DeviceData;
  if (!useDetailed(rank)) {
    return (
      <div className={`device far role-${device.role}${selected ? " selected" : ""}${marks ? ` marked-${marks.severity}` : ""}`}
        data-testid={`device-${id}`} style={{ width: shape.width, height: shape.height }}>
        <span className="device-name">{device.name}</span>
      </div>
    );
  }
  const bondOf = new Map((device.bonds ?? []).flatMap((bond) => bond.members.map((member) => [member, bond.name])));
  return (
    <div className={`device role-${device.role}${selected ? " selected" : ""}${marks ? ` marked-${marks.severity}` : ""}`}
      data-testid={`device-${id}`} style={{ width: shape.width, height: shape.height }}>
      <div className="device-head" style={{ top: PORT_ROW, left: shape.column, right: shape.column, height: shape.height - 2 * PORT_ROW }}>
        <div className="device-title">
          <span className="device-name" title={device.name}>{device.name}</span>
          <Badge marks={marks} id={id} name={device.name} />
        </div>
        <div className="device-kind">{device.role} · {device.platform}</div>
        <div className="device-plan" data-testid={`plan-${id}`}>
          {planned ? (
            <>
              <span className="loopback" title="loopback">{planned.loopback_v4 ?? "no loopback"}</span>
              {planned.asn !== null && <span className="asn" title="BGP ASN"> AS{planned.asn}</span>}
            </>
          ) : <span className="pending">planning…</span>}
        </div>
        <div className="device-foot" title="bonds, bridges and VXLAN devices the plan gives this device">
          {overlayInterfaces(planned)}
        </div>
      </div>
      {shape.ports.map((port) => (
        <Port key={port.nic} device={device} port={port} chosen={chosenPorts.includes(port.nic)} bond={bondOf.get(port.nic)}
          mtu={planned?.nic_mtus[port.nic]} />
      ))}
      {shape.ports.map((port) => (
        <Handle key={port.nic} type="source" position={HANDLE_POSITION[port.side]} id={`nic:${port.nic}`}
          className={`port-handle${port.peer ? " cabled" : ""}`} style={{ ...at(port.anchor.x, port.anchor.y), width: HANDLE, height: HANDLE }}
          aria-label={`cable from ${device.name} ${port.nic}`} title={`Drag to another port to cable ${device.name} ${port.nic}`} />
      ))}
      <Handle type="source" position={Position.Bottom} id="attach" className="attach-handle"
        style={{ ...at(shape.width - ATTACH_HANDLE.inset, shape.height - ATTACH_HANDLE.inset), width: ATTACH_HANDLE.size, height: ATTACH_HANDLE.size }}
        aria-label={`attach ${device.name} to a network`} title={`Drag to a network or WireGuard mesh to attach ${device.name}`} />
    </div>
  );
}

function sameDevice(before: NodeProps, after: NodeProps): boolean {
  const a = before.data as DeviceData;
  const b = after.data as DeviceData;
  if (before.selected !== after.selected) return false;
  return a === b || (a.device === b.device && a.shape.key === b.shape.key && a.marksKey === b.marksKey
    && a.chosenPorts.join() === b.chosenPorts.join() && a.plannedKey === b.plannedKey);
}

export const DeviceNode = memo(DeviceNodeView, sameDevice);

function RackNodeView({ id, data, selected }: NodeProps) {
  const { rack, marks } = data as RackData;
  return (
    <div className={`rack${selected ? " selected" : ""}`} data-testid={`rack-${id}`}>
      <div className="rack-head" title="Drag to move the rack with its devices">
        <span className="rack-name">{rack.name}</span>
        <Badge marks={marks} id={id} name={rack.name} />
      </div>
    </div>
  );
}

export const RackNode = memo(RackNodeView, (a, b) =>
  a.selected === b.selected && (a.data as RackData).rack === (b.data as RackData).rack
  && (a.data as RackData).marksKey === (b.data as RackData).marksKey);

function BusNodeView({ id, data, selected }: NodeProps) {
  const { bus, caption, captionWidth, detail, width, marks } = data as BusData;
  const name = bus.element.name;
  return (
    <div className={`bus bus-${bus.kind}${selected ? " selected" : ""}${marks ? ` marked-${marks.severity}` : ""}`}
      data-testid={`${bus.kind === "mesh" ? "mesh" : "network"}-${id}`} style={{ width }}>
      <div className="bus-line" style={{ top: BUS_LINE - 2 }} />
      <Handle type="target" position={Position.Top} id="in" className="bus-handle"
        style={{ left: 0, top: BUS_LINE - HANDLE / 2, width, height: HANDLE, transform: "none" }}
        aria-label={`attach a device to ${name}`}
        title={`Drag a device's ◆ corner here to attach it to ${name}, or drag from here to a device`} />
      {bus.kind === "network" && (
        <Handle type="source" position={Position.Right} id="out" className="bus-out"
          style={{ ...at(width, BUS_LINE), width: HANDLE, height: HANDLE }}
          aria-label={`put ${name} in a VRF`} title={`Drag to a VRF to put ${name} in it`} />
      )}
      <div className="bus-caption" style={{ width: captionWidth }} title={`${caption} · ${detail}. Drag here to move it.`}>
        {caption}
      </div>
      <span className="bus-badge" style={{ left: captionWidth + 4 }}><Badge marks={marks} id={id} name={name} /></span>
    </div>
  );
}

export const BusNode = memo(BusNodeView, (a, b) => {
  const x = a.data as BusData;
  const y = b.data as BusData;
  return a.selected === b.selected && x.bus.element === y.bus.element && x.caption === y.caption && x.width === y.width
    && x.detail === y.detail && x.marksKey === y.marksKey;
});

function VrfNodeView({ id, data, selected }: NodeProps) {
  const { vrf, detail, marks } = data as VrfData;
  return (
    <div className={`vrf${selected ? " selected" : ""}${marks ? ` marked-${marks.severity}` : ""}`} data-testid={`vrf-${id}`}>
      <Handle type="target" position={Position.Top} id="in" className="vrf-handle"
        aria-label={`put a network in ${vrf.name}`} title={`Drag a network's right end here to put it in ${vrf.name}`} />
      <div className="vrf-name">{vrf.name} <Badge marks={marks} id={id} name={vrf.name} /></div>
      <div className="vrf-detail">{detail}</div>
    </div>
  );
}

export const VrfNode = memo(VrfNodeView, (a, b) =>
  a.selected === b.selected && (a.data as VrfData).vrf === (b.data as VrfData).vrf
  && (a.data as VrfData).detail === (b.data as VrfData).detail && (a.data as VrfData).marksKey === (b.data as VrfData).marksKey);

export const NODE_TYPES = { device: DeviceNode, rack: RackNode, bus: BusNode, vrf: VrfNode };
