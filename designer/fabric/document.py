"""Reading and writing design documents: YAML or JSON in, a checked ``Design`` out, and back."""

from __future__ import annotations

import functools
import hashlib
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from .errors import DesignError, Problem, format_path
from .runtime import gc_paused
from .spec import Design
from .text import data_problems
from .yaml_read import parse_yaml, read_design_text

if TYPE_CHECKING:
    from .elements import KnownElements

_YAML12_NUMBER = re.compile(r"[-+]?(0o[0-7]+|0x[0-9a-fA-F]+|\.inf|\.nan|[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?)")


@functools.cache
def _yaml12_dumper() -> type:
    """PyYAML's dumper, quoting the few strings a YAML 1.2 reader would take for numbers (PyYAML writes 1.1).

    Made on first use: only writing a design needs PyYAML, and reading one should not pay for importing it.
    """
    import yaml

    class Yaml12Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
        pass

    def represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = "'" if _YAML12_NUMBER.fullmatch(value) else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Yaml12Dumper.add_representer(str, represent_str)
    return Yaml12Dumper


def validate(data: Any, *, source: str = "", known: KnownElements | None = None, text_checked: bool = False,
             references: bool = True) -> Design:
    """Turn plain data (from YAML, JSON or the canvas) into a checked ``Design``.

    ``known``: elements validated before, by their content (see ``elements``); only the others are validated.
    ``text_checked``: the text of ``data`` was checked already (``text.data_problems``: the API's JSON parser
    does). ``references``: check them (``check_references``); the caller does when it does not ask for it.
    """
    if not isinstance(data, dict):
        raise DesignError(Problem("", "a design is a mapping with at least 'name' and 'devices'"),
                          source=source)
    problems = [] if text_checked else data_problems(data)
    if problems:
        raise DesignError(problems, source=source)
    try:
        with gc_paused():
            design = Design.model_validate(data) if known is None else known.design(data)
    except ValidationError as exc:
        raise DesignError([_pydantic_problem(err) for err in exc.errors()], source=source) from None
    problems = check_references(design) if references else []
    if problems:
        raise DesignError(problems, source=source)
    return design


def load_text(text: str, *, source: str = "") -> Design:
    return validate(parse_yaml(text, source=source), source=source)


def load_file(path: str | Path) -> Design:
    return load_text(read_design_text(path), source=str(path))


def to_data(design: Design) -> dict[str, Any]:
    """The document as plain data, leaving out what equals the schema's defaults."""
    data = design.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    return {"version": design.version, **data}


def dump_yaml(design: Design) -> str:
    import yaml

    return yaml.dump(to_data(design), Dumper=_yaml12_dumper(), sort_keys=False, default_flow_style=False,
                     allow_unicode=True, width=100)


def content_hash(design: Design) -> str:
    """sha256 of the canonical JSON of the document: equal designs hash equal."""
    return content_hash_of(to_data(design))


def content_hash_of(data: dict[str, Any]) -> str:
    """``content_hash`` of a document already turned into plain data by ``to_data``."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _pydantic_problem(err: dict[str, Any]) -> Problem:
    kind = err["type"]
    message = err["msg"]
    if kind == "extra_forbidden":  # the last part is the key as the document spells it, whatever it looks like
        *where, key = err["loc"]
        loc = [*(part for part in where if not _is_union_tag(part)), key]
        return Problem(format_path(loc), f"unknown key '{key}'", "remove it or check its spelling")
    loc = [part for part in err["loc"] if not _is_union_tag(part)]
    if kind == "missing":
        return Problem(format_path(loc), "is required")
    if kind == "literal_error":
        return Problem(format_path(loc), f"{message}, not {err.get('input')!r}")
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    return Problem(format_path(loc), message)


def _is_union_tag(part: Any) -> bool:
    # pydantic adds the union member's type to the location ("list[...]", "function-after[...]");
    # it is noise to a person reading the path.
    return isinstance(part, str) and ("[" in part or part in {"str", "int", "float", "bool"})


# --- cross references ---------------------------------------------------------------------------

def check_references(design: Design) -> list[Problem]:
    """Every id a design refers to must exist, and names must be unique where the OS needs it."""
    problems: list[Problem] = []
    add = problems.append

    collections = ("racks", "devices", "links", "networks", "vrfs", "wireguard", "egress")
    ids = [element.id for collection in collections for element in getattr(design, collection)]
    seen_ids: dict[str, str] = {}
    for collection in collections if len(set(ids)) < len(ids) else ():  # where, when one is used twice
        for index, element in enumerate(getattr(design, collection)):
            path = f"{collection}[{index}].id"
            if element.id in seen_ids:
                add(Problem(path, f"id '{element.id}' is already used at {seen_ids[element.id]}",
                            "ids are unique across the whole design"))
            else:
                seen_ids[element.id] = path

    racks = {rack.id for rack in design.racks}
    devices = {device.id: device for device in design.devices}
    interfaces: dict[str, dict[str, str]] = {}
    hostnames: dict[str, int] = {}
    for d_index, device in enumerate(design.devices):
        base = f"devices[{d_index}]"
        if device.name in hostnames:
            add(Problem(f"{base}.name", f"name '{device.name}' is already used by "
                        f"devices[{hostnames[device.name]}]", "hostnames must be unique"))
        hostnames.setdefault(device.name, d_index)
        if device.rack is not None and device.rack not in racks:
            add(Problem(f"{base}.rack", f"no rack with id '{device.rack}'"))
        interfaces[device.id] = names = _device_interfaces(device, base, add)
        for b_index, bond in enumerate(device.bonds):
            for m_index, member in enumerate(bond.members):
                if names.get(member) != "nic":
                    add(Problem(f"{base}.bonds[{b_index}].members[{m_index}]",
                                f"'{member}' is not a NIC of {device.name}", _known(names, "nic")))
        for v_index, vlan in enumerate(device.vlans):
            if names.get(vlan.parent) not in ("nic", "bond", "bridge"):
                add(Problem(f"{base}.vlans[{v_index}].parent",
                            f"'{vlan.parent}' is not a NIC, bond or bridge of {device.name}"))
        for br_index, bridge in enumerate(device.bridges):
            for p_index, port in enumerate(bridge.ports):
                if names.get(port) not in ("nic", "bond", "vlan"):
                    add(Problem(f"{base}.bridges[{br_index}].ports[{p_index}]",
                                f"'{port}' is not a NIC, bond or VLAN interface of {device.name}"))

    for l_index, link in enumerate(design.links):
        for end, ref in (("a", link.a), ("b", link.b)):
            if ref.device not in devices:
                add(Problem(f"links[{l_index}].{end}.device", f"no device with id '{ref.device}'"))
            elif interfaces[ref.device].get(ref.interface) != "nic":
                add(Problem(f"links[{l_index}].{end}.interface", f"'{ref.interface}' is not a NIC of "
                            f"{devices[ref.device].name}", _known(interfaces[ref.device], "nic")))
        if link.a.device == link.b.device and link.a.interface == link.b.interface:
            add(Problem(f"links[{l_index}]", "both ends are the same interface"))

    vrfs = {vrf.id for vrf in design.vrfs}
    networks = {network.id for network in design.networks}
    existing: set[tuple[str, ...]] = set()  # lists of attached devices that all exist, often the same on many VNIs
    for n_index, network in enumerate(design.networks):
        base = f"networks[{n_index}]"
        if network.vrf is not None and network.vrf not in vrfs:
            add(Problem(f"{base}.vrf", f"no VRF with id '{network.vrf}'"))
        # a large fabric has a network on thousands of devices: only an attachment with something to check is
        # looked at one by one (an unknown device, an interface, or none where one is needed)
        if network.vni is not None and not network.names_interfaces:
            attached = network.device_ids
            if attached in existing or devices.keys() >= set(attached):
                existing.add(attached)
                continue
        for a_index, attachment in enumerate(network.attach):
            path = f"{base}.attach[{a_index}]"
            if attachment.device not in devices:
                add(Problem(f"{path}.device", f"no device with id '{attachment.device}'"))
                continue
            named = attachment.interface is not None
            if named and attachment.interface not in interfaces[attachment.device]:
                add(Problem(f"{path}.interface", f"'{attachment.interface}' is not an interface of "
                            f"{devices[attachment.device].name}", _known(interfaces[attachment.device])))
            if network.vni is None and not named:
                add(Problem(f"{path}.interface", "a network without a VNI needs the interface that "
                            "carries it on this device (a bridge, VLAN or NIC)"))

    meshes = {mesh.id: mesh for mesh in design.wireguard}
    for m_index, mesh in enumerate(design.wireguard):
        base = f"wireguard[{m_index}]"
        members = set()
        for p_index, member in enumerate(mesh.members):
            if member.device not in devices:
                add(Problem(f"{base}.members[{p_index}].device", f"no device with id '{member.device}'"))
            if member.device in members:
                add(Problem(f"{base}.members[{p_index}].device", f"'{member.device}' is listed twice"))
            members.add(member.device)
        for b_index, pair in enumerate(mesh.blacklist):
            for e_index, device_id in enumerate(pair):
                if device_id not in members:
                    add(Problem(f"{base}.blacklist[{b_index}][{e_index}]",
                                f"'{device_id}' is not a member of mesh {mesh.name}"))

    underlay = design.underlay
    for r_index, device_id in enumerate(underlay.route_reflectors):
        if device_id not in devices:
            add(Problem(f"underlay.route_reflectors[{r_index}]", f"no device with id '{device_id}'"))
    if underlay.mesh is not None and underlay.mesh not in meshes:
        add(Problem("underlay.mesh", f"no WireGuard mesh with id '{underlay.mesh}'"))

    for e_index, egress in enumerate(design.egress):
        base = f"egress[{e_index}]"
        if egress.network not in networks:
            add(Problem(f"{base}.network", f"no network with id '{egress.network}'"))
        for field in ("gateways", "clients"):
            for i, device_id in enumerate(getattr(egress, field)):
                if device_id not in devices:
                    add(Problem(f"{base}.{field}[{i}]", f"no device with id '{device_id}'"))

    if design.firewall is not None:
        _check_device_list(design.firewall.devices, "firewall.devices", devices, add)
        for s_index, ipset in enumerate(design.firewall.ipsets):
            for i, network_id in enumerate(ipset.networks):
                if network_id not in networks:
                    add(Problem(f"firewall.ipsets[{s_index}].networks[{i}]", f"no network with id '{network_id}'"))
    for j_index, jail in enumerate(design.fail2ban):
        _check_device_list(jail.devices, f"fail2ban[{j_index}].devices", devices, add)
    return problems


def _device_interfaces(device, base: str, add) -> dict[str, str]:
    names: dict[str, str] = {}
    for kind, field, items in (("nic", "nics", device.nics), ("bond", "bonds", device.bonds),
                               ("vlan", "vlans", device.vlans), ("bridge", "bridges", device.bridges)):
        for index, item in enumerate(items):
            name = item.ifname if kind == "vlan" else item.name
            if name in names or name == "lo":
                add(Problem(f"{base}.{field}[{index}]", f"interface name '{name}' is used twice on "
                            f"{device.name}"))
            names[name] = kind
    return names


def _check_device_list(device_ids, path: str, devices, add) -> None:
    for index, device_id in enumerate(device_ids or ()):
        if device_id not in devices:
            add(Problem(f"{path}[{index}]", f"no device with id '{device_id}'"))


def _known(names: dict[str, str], kind: str | None = None) -> str:
    choices = sorted(name for name, k in names.items() if kind is None or k == kind)
    if not choices:
        return "the device has none"
    shown = ", ".join(choices[:8]) + (" ..." if len(choices) > 8 else "")
    return f"known: {shown}"
