"""The design as an NVIDIA Air topology: a DOT file of nodes (``function``, ``os``) and port-to-port cables."""

from __future__ import annotations

from ..plan.model import DevicePlan, Plan

# Air boots nodes in the order of their function; exits and spines come up before leaves and servers.
AIR_FUNCTIONS = {"gateway": "exit", "router": "exit", "border": "exit", "spine": "spine", "leaf": "leaf",
                 "hypervisor": "host", "host": "host"}
# Air simulates switches as Cumulus VX and servers as generic Linux images; it offers no Proxmox or
# Ganeti image, and FRR runs on the Linux image as it would on the real server.
AIR_OS = {"cumulus": "cumulus-vx-5.10.1"}
AIR_SERVER_OS = "generic/ubuntu2204"


def quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def air_node(device: DevicePlan) -> str:
    function = AIR_FUNCTIONS.get(device.role, "host")
    os_image = AIR_OS.get(device.platform, AIR_SERVER_OS)
    return f"  {quoted(device.name)} [function={quoted(function)} os={quoted(os_image)}]"


def air_topology(plan: Plan) -> str:
    """Every device and every cable, written the way Air's topology import reads them."""
    lines = [f"graph {quoted(plan.name)} {{"]
    lines += [air_node(device) for device in plan.devices.values()]
    for link in plan.links:
        a, b = plan.devices[link.a_device].name, plan.devices[link.b_device].name
        lines.append(f"  {quoted(a)}:{quoted(link.a_interface)} -- {quoted(b)}:{quoted(link.b_interface)}")
    lines.append("}")
    return "\n".join(lines) + "\n"
