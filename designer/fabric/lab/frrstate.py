"""Reading FRR's JSON answers: BGP peer states and the EVPN type-3 routes each VTEP has."""

from __future__ import annotations

import json
import re
from typing import Any

_TYPE3 = re.compile(r"^\[3\]:\[\d+\]:\[\d+\]:\[([0-9A-Fa-f:.]+)\]$")
_DECODER = json.JSONDecoder()


def documents(text: str) -> list[Any]:
    """Every JSON document in ``text``: vtysh prints one per ``-c`` command, back to back.

    Anything that is not JSON (a "% Unknown command" line) ends up as a string in the list, so a
    caller can show it.
    """
    out: list[Any] = []
    position = 0
    while position < len(text):
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text):
            break
        if text[position] in "{[":
            try:
                value, position = _DECODER.raw_decode(text, position)
                out.append(value)
                continue
            except json.JSONDecodeError:
                pass
        end = text.find("\n", position)
        end = len(text) if end < 0 else end
        out.append(text[position:end].strip())
        position = end + 1
    return out


def peer_states(summary: dict) -> dict[str, dict[str, str]]:
    """``show bgp summary json`` -> peer -> address family -> state (``Established``, ``Active``...)."""
    out: dict[str, dict[str, str]] = {}
    for family, section in summary.items():
        if not isinstance(section, dict):
            continue
        for peer, facts in section.get("peers", {}).items():
            out.setdefault(peer.lstrip("*"), {})[family] = facts.get("state", "unknown")
    return out


def peer_facts(summary: dict, peer: str) -> dict[str, dict]:
    """What the summary says of one peer, per address family: the evidence when it is not up."""
    out = {}
    for family, section in summary.items():
        if isinstance(section, dict):
            for name, facts in section.get("peers", {}).items():
                if name.lstrip("*") == peer:
                    out[family] = {k: facts[k] for k in ("state", "remoteAs", "localAs", "hostname",
                                                         "peerUptime", "pfxRcd") if k in facts}
    return out


def type3_vteps(routes: dict) -> set[str]:
    """``show bgp l2vpn evpn route vni N type multicast json`` -> the VTEP addresses that advertised."""
    found = set()
    for prefix in routes:
        match = _TYPE3.match(prefix)
        if match:
            found.add(match[1])
    return found
