"""A node's ``apply.json``: its files, the steps that check and load them, and what healthy looks like.

The engine (``engine.py``, shipped as ``apply.py``) reads nothing else, so everything it must know
about the node is decided here, from the plan and what each render target declares.
"""

from __future__ import annotations

import hashlib
import posixpath
from collections import Counter
from collections.abc import Mapping

import orjson

from .. import GENERATOR, GENERATOR_VERSION
from ..plan.model import DevicePlan, Plan
from ..render.target import Activation, file_mode

FORMAT = 1
HEALTH_KINDS = ("nic", "bond", "vlan", "bridge", "vxlan", "vrf")


def fill(template: str, path: str) -> str:
    """An activation's command for one file: ``{file}`` the staged copy, ``{path}`` the installed one."""
    rel = path.lstrip("/")
    name = posixpath.splitext(posixpath.basename(rel))[0]
    return template.format(file=f'"$here/{rel}"', path=path, name=name)


def _commands(templates: tuple[str, ...], files: list[str]) -> list[dict]:
    out: list[dict] = []
    for template in templates:
        if any(field in template for field in ("{file}", "{path}", "{name}")):
            out += [{"files": [path], "command": fill(template, path), "per_file": True} for path in files]
        else:
            out.append({"files": files, "command": template, "per_file": False})  # once, whichever changed
    return out


def steps(activations: Mapping[str, Activation | None]) -> tuple[list[dict], dict[str, int]]:
    """The node's steps in load order, and file -> the index of its step."""
    grouped: dict[Activation, list[str]] = {}
    for path, activation in activations.items():
        if activation is not None:
            grouped.setdefault(activation, []).append(path)
    out, index = [], {}
    for number, (activation, files) in enumerate(sorted(grouped.items(), key=lambda item: item[0].order)):
        out.append({
            "pattern": activation.pattern, "order": activation.order, "disruption": activation.disruption,
            "tools": [activation.tool] if activation.tool else [], "files": files,
            **{kind: _commands(getattr(activation, kind), files)
               for kind in ("check", "verify", "load", "unload", "ensure")},
        })
        index.update(dict.fromkeys(files, number))
    return out, index


class NodeFacts:
    """Builds each node's facts for one plan; what the whole plan decides is counted once."""

    def __init__(self, plan: Plan, design_hash: str, engine_sha256: str) -> None:
        self.plan = plan
        self.design_hash = design_hash
        self.engine_sha256 = engine_sha256
        # a dynamic session's gateway (b) listens; its clients are not named in its configuration
        self.dynamic_peers = Counter(s.b for s in plan.sessions if s.kind == "dynamic")
        # nodes of one kind have the same files taken into use the same way: their steps are made once
        self._steps: dict[tuple, tuple[list[dict], dict[str, int]]] = {}

    def document(self, device: DevicePlan, files: Mapping[str, bytes], activations: Mapping[str, Activation | None],
                 digests: Mapping[str, str] | None = None) -> dict:
        """``digests``: the sha256 of each of ``files``, when the caller has them already."""
        key = tuple(activations.items())
        made = self._steps.get(key)
        if made is None:
            made = self._steps[key] = steps(activations)
        node_steps, step_index = made
        return {
            "format": FORMAT,
            "generator": f"{GENERATOR} {GENERATOR_VERSION}",
            "node": device.name,
            "role": device.role,
            "platform": device.platform,
            "design": {"name": self.plan.name, "content_hash": self.design_hash},
            "engine": self.engine_sha256,
            "files": {path: {"sha256": digests[path] if digests is not None else hashlib.sha256(data).hexdigest(),
                             "mode": file_mode(activations[path]),
                             "step": step_index.get(path)} for path, data in files.items()},
            "steps": node_steps,
            "health": self._health(device),
            "management": management_interfaces(device),
        }

    def encode(self, device: DevicePlan, files: Mapping[str, bytes], activations: Mapping[str, Activation | None],
               digests: Mapping[str, str] | None = None) -> bytes:
        return orjson.dumps(self.document(device, files, activations, digests),
                            option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE)

    def _health(self, device: DevicePlan) -> dict:
        bgp = device.bgp
        links = [{"name": i.name, "mtu": i.mtu, "carrier": bool(i.peer) and i.kind == "nic"}
                 for i in device.interfaces if i.kind in HEALTH_KINDS and i.role != "oob"]
        links += [{"name": wg.interface, "mtu": wg.mtu, "carrier": False} for wg in device.wireguard]
        return {
            "bgp": None if bgp is None else {
                "neighbors": [{"peer": n.peer, "description": n.description} for n in bgp.neighbors],
                "dynamic": self.dynamic_peers[device.id],
            },
            "links": links,
            "wireguard": [{"interface": wg.interface,
                           "peers": [{"name": p.name, "public_key": p.public_key, "endpoint": bool(p.endpoint)}
                                     for p in wg.peers]} for wg in device.wireguard],
        }


def management_interfaces(device: DevicePlan) -> list[str]:
    """Interfaces that carry the node's management address or default route: changing them may cut it off."""
    return sorted(i.name for i in device.interfaces
                  if i.purpose == "management" or i.gateway is not None or i.dhcp)
