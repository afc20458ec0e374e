#!/usr/bin/env python3
"""The lab's stand-in for LXD inside a node: its networks, as ``lxd init --preseed`` gives them.

LXD does not run in the lab. What a bundle asks of it is a bridge per network with the planned
address and MTU and no NAT; this stand-in makes exactly that with ``ip``, keeps the networks in the
node's own /var/lib/lxd (LXD's database stands on disk too), and at boot (``--lab-start``) makes them
again, as LXD recreates its bridges when it starts. It says so, and what it does not do (NAT, DHCP).
Standard library and PyYAML only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import yaml

DATABASE = "/var/lib/lxd/lab-networks.json"


def load() -> dict[str, dict]:
    try:
        with open(DATABASE, encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        return {}


def save(networks: dict[str, dict]) -> None:
    os.makedirs(os.path.dirname(DATABASE), exist_ok=True)
    with open(DATABASE, "w", encoding="utf-8") as handle:
        json.dump(networks, handle, indent=1, sort_keys=True)


def ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True)


def make(name: str, config: dict[str, str]) -> None:
    """The bridge as LXD leaves it: up, with its MTU and its addresses (none when 'none')."""
    exists = subprocess.run(["ip", "link", "show", name], capture_output=True, check=False).returncode == 0
    if not exists:
        ip("link", "add", "name", name, "type", "bridge")
    ip("address", "flush", "dev", name, "scope", "global")
    if config.get("bridge.mtu"):
        ip("link", "set", "dev", name, "mtu", str(config["bridge.mtu"]))
    for key in ("ipv4.address", "ipv6.address"):
        address = str(config.get(key, "none"))
        if address not in ("none", "auto", ""):
            ip("address", "add", address, "dev", name)
    ip("link", "set", "dev", name, "up")
    for key in ("ipv4.nat", "ipv6.nat"):
        if str(config.get(key, "false")) == "true":
            print(f"lxd (lab stand-in): {name}: {key} is not made in the lab", file=sys.stderr)


def preseed(text: str) -> int:
    document = yaml.safe_load(text) or {}
    networks = load()
    for network in document.get("networks") or []:
        if network.get("type", "bridge") != "bridge":
            print(f"lxd (lab stand-in): network {network['name']}: only bridges are made", file=sys.stderr)
            return 1
        networks[network["name"]] = dict(network.get("config") or {})  # a preseed replaces a network whole
        make(network["name"], networks[network["name"]])
    save(networks)
    return 0


def main(argv: list[str]) -> int:
    if argv[:2] == ["init", "--preseed"]:
        return preseed(sys.stdin.read())
    if argv == ["--lab-start"]:
        for name, config in sorted(load().items()):
            make(name, config)
        return 0
    print(f"lxd (lab stand-in): {' '.join(argv)} is not supported; it takes `init --preseed`", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
