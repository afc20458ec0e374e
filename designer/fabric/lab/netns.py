"""Network namespaces and veth cables: created in batches, addressed only by the lab's own names."""

from __future__ import annotations

import json
from collections.abc import Iterable

from ..addresses import ip_address
from .layout import Cable, Endpoint, Uplink
from .process import LabError, Outcome, checked, run

SWITCH_BRIDGE = "sw0"  # the bridge that stands in for an unmanaged switch or a cloud subnet


def batch(lines: Iterable[str], *, namespace: str | None = None, what: str) -> Outcome:
    """One `ip -batch` process for many changes: building a fabric takes a fraction of a second."""
    text = "\n".join(lines) + "\n"
    argv = ["ip", *(["-n", namespace] if namespace else []), "-batch", "-"]
    return checked(run(argv, stdin=text, timeout=60), what)


def existing(prefix: str) -> list[str]:
    outcome = run(["ip", "-j", "netns", "list"], timeout=10)
    names = [entry["name"] for entry in json.loads(outcome.stdout or "[]")] if outcome.ok else []
    return sorted(name for name in names if name.startswith(prefix))


def create(namespaces: list[str]) -> None:
    if namespaces:
        batch((f"netns add {name}" for name in namespaces), what="creating the lab's namespaces")


def delete(namespaces: list[str]) -> list[str]:
    """Delete each namespace; return the problems, so cleanup carries on past one that resists."""
    problems = []
    for name in namespaces:
        outcome = run(["ip", "netns", "delete", name], timeout=20)
        if not outcome.ok and "No such file" not in outcome.stderr:
            problems.append(f"{name}: {outcome.output}")
    return problems


def delete_links(ends: set[tuple[str, str]]) -> None:
    """Delete each interface in ``ends`` (namespace, name) that exists; a veth takes its peer with it."""
    by_namespace: dict[str, list[str]] = {}
    for namespace, name in sorted(ends):
        by_namespace.setdefault(namespace, []).append(name)
    for namespace, names in by_namespace.items():
        present = _link_names(namespace)
        lines = [f"link delete {name}" for name in names if name in present]
        if lines:
            batch(lines, namespace=namespace, what=f"unplugging cables in {namespace}")


def _link_names(namespace: str) -> set[str]:
    outcome = run(["ip", "-n", namespace, "-j", "link", "show"], timeout=20)
    return {entry["ifname"] for entry in json.loads(outcome.stdout or "[]")} if outcome.ok else set()


def lay_cables(cables: list[Cable]) -> None:
    """Each veth is created with its two ends already in their namespaces, so host names never clash."""
    batch((f"link add name {c.a_interface}{f' address {c.a_mac}' if c.a_mac else ''} mtu {c.a_mtu} "
           f"netns {c.a_namespace} type veth peer name {c.b_interface} mtu {c.b_mtu} netns {c.b_namespace}"
           for c in cables),
          what="laying the cables (veth pairs)")


def build_switch(namespace: str, ports: Iterable[str]) -> None:
    batch([f"link add {SWITCH_BRIDGE} type bridge", f"link set {SWITCH_BRIDGE} up"], namespace=namespace,
          what=f"building the switch in {namespace}")
    attach_to_switch(namespace, ports)


def attach_to_switch(namespace: str, ports: Iterable[str]) -> None:
    """Plug ``ports`` (cable ends in ``namespace``) into its switch, as when the cable is laid again."""
    lines = [f"link set {port} master {SWITCH_BRIDGE} up" for port in ports]
    if lines:
        batch(lines, namespace=namespace, what=f"plugging ports into the switch in {namespace}")


def plug_endpoints(endpoints: list[Endpoint], mtus: dict[tuple[str, str], int], node_namespace: dict[str, str]) -> None:
    """Plug each endpoint into its VTEP's bridge with the bridge's MTU, as a hypervisor gives a VM's NIC."""
    batch((f"link add name {e.port} mtu {mtus[(e.device_id, e.bridge)]} netns {node_namespace[e.device_id]} "
           f"type veth peer name eth0 mtu {mtus[(e.device_id, e.bridge)]} netns {e.namespace}"
           for e in endpoints), what="plugging in the endpoints")
    by_node: dict[str, list[Endpoint]] = {}
    for endpoint in endpoints:
        by_node.setdefault(node_namespace[endpoint.device_id], []).append(endpoint)
    for namespace, plugged in by_node.items():
        batch((f"link set {e.port} master {e.bridge} up" for e in plugged), namespace=namespace,
              what=f"enslaving endpoint ports to their bridges in {namespace}")
    for endpoint in endpoints:
        lines = ["link set lo up", f"addr add {endpoint.address} dev eth0", "link set eth0 up"]
        batch(lines, namespace=endpoint.namespace, what=f"addressing endpoint {endpoint.namespace}")


def address_uplinks(uplinks: list[Uplink], node_namespace: dict[str, str]) -> None:
    """Each member's endpoint address on its uplink, every other member's on-link behind it: the internet.

    Uplinks that take their address by DHCP get it from the internet's DHCP server instead (``dhcp``).
    """
    static = [uplink for uplink in uplinks if not uplink.dhcp]
    for uplink in static:
        own = ip_address(uplink.address)
        host = f"{own}/32" if own.version == 4 else f"{own}/128 nodad"  # IPv6: no wait for duplicate detection
        lines = [f"addr add {host} dev {uplink.interface}", f"link set {uplink.interface} up"]
        lines += [f"route add {other.address} dev {uplink.interface} src {own}" for other in uplinks
                  if other is not uplink and ip_address(other.address).version == own.version]
        batch(lines, namespace=node_namespace[uplink.device_id],
              what=f"putting {uplink.interface} of {node_namespace[uplink.device_id]} on the internet")


def links(namespace: str) -> dict[str, dict]:
    """Interface name -> `ip -j addr` facts (mtu, state, addresses) inside ``namespace``."""
    outcome = run(["ip", "-n", namespace, "-j", "addr", "show"], timeout=20)
    if not outcome.ok:
        raise LabError(f"cannot read the interfaces of {namespace}: {outcome.output}")
    return {entry["ifname"]: entry for entry in json.loads(outcome.stdout or "[]")}


def link_local(facts: dict) -> str | None:
    for info in facts.get("addr_info", []):
        if info.get("family") == "inet6" and info.get("scope") == "link":
            return info["local"]
    return None
