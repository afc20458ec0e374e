#!/usr/bin/env python3
"""The lab's stand-in for sysctl inside a node: it sets only what belongs to the node's network namespace.

A node of the lab shares the machine's kernel; ``net.ipv4.ip_forward`` and the other ``net.*`` keys
listed below are per namespace, anything else (``kernel.*``, ``vm.*``) would change the machine
itself, so those are named on stderr and left alone. Reads (``-n``, ``-a``) answer from /proc/sys.
Accepts what bundles and a boot use: ``-q``, ``-w``, ``-p [FILE]``, ``--system``, ``KEY=VALUE``, ``KEY``.
"""

from __future__ import annotations

import fnmatch
import glob
import os
import sys

NAMESPACED = ("net.ipv4.ip_forward", "net.ipv4.conf.*", "net.ipv6.conf.*", "net.ipv4.fib_multipath_*",
              "net.ipv6.fib_multipath_*", "net.ipv4.neigh.*", "net.ipv6.neigh.*", "net.ipv4.route.*",
              "net.ipv6.route.*", "net.ipv4.tcp_*", "net.ipv4.icmp_*", "net.ipv4.ping_group_range",
              "net.ipv4.ip_local_port_range", "net.ipv4.ip_nonlocal_bind", "net.ipv6.ip_nonlocal_bind",
              "net.ipv4.fwmark_reflect", "net.ipv6.fwmark_reflect")
SYSTEM_DIRS = ("/usr/lib/sysctl.d", "/lib/sysctl.d", "/run/sysctl.d", "/etc/sysctl.d")


def proc(key: str) -> str:
    return "/proc/sys/" + key.replace(".", "/")


def parse(path: str) -> list[tuple[str, str]]:
    out = []
    with open(path, encoding="utf-8") as handle:
        for raw in handle:
            line = raw.strip()
            if not line or line[0] in "#;" or "=" not in line:
                continue
            key, _, value = line.lstrip("-").partition("=")
            out.append((key.strip().replace("/", "."), value.strip()))
    return out


def system_files() -> list[str]:
    by_name: dict[str, str] = {}
    for directory in SYSTEM_DIRS:  # a later directory's file replaces an earlier one of the same name
        for path in sorted(glob.glob(os.path.join(directory, "*.conf"))):
            by_name[os.path.basename(path)] = path
    files = [by_name[name] for name in sorted(by_name)]
    return files + (["/etc/sysctl.conf"] if os.path.exists("/etc/sysctl.conf") else [])


def write(key: str, value: str, quiet: bool) -> int:
    if not any(fnmatch.fnmatchcase(key, pattern) for pattern in NAMESPACED):
        print(f"sysctl (lab stand-in): {key} is not per network namespace: not set in the lab", file=sys.stderr)
        return 0
    matches = glob.glob(proc(key)) if "*" in key else [proc(key)]
    status = 0
    for path in matches:
        try:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(value)
        except OSError as error:
            print(f"sysctl: setting key \"{key}\": {error.strerror}", file=sys.stderr)
            status = 1
            continue
        if not quiet:
            print(f"{key} = {value}")
    return status


def read(key: str, names_only: bool) -> int:
    try:
        with open(proc(key), encoding="utf-8") as handle:
            value = handle.read().strip()
    except OSError:
        print(f"sysctl: cannot stat {proc(key)}: No such file or directory", file=sys.stderr)
        return 255
    print(value if names_only else f"{key} = {value}")
    return 0


def main(argv: list[str]) -> int:
    quiet = value_only = False
    status = 0
    args = list(argv)
    assignments: list[tuple[str, str]] = []
    reads: list[str] = []
    while args:
        arg = args.pop(0)
        if arg in ("-q", "--quiet"):
            quiet = True
        elif arg in ("-n", "--values"):
            value_only = True
        elif arg in ("-w", "--write", "-e", "--ignore"):
            continue
        elif arg == "--system":
            assignments += [pair for path in system_files() for pair in parse(path)]
        elif arg in ("-p", "--load") or arg.startswith("--load="):
            path = arg.partition("=")[2] if "=" in arg else (args.pop(0) if args and not args[0].startswith("-")
                                                              else "/etc/sysctl.conf")
            try:
                assignments += parse(path)
            except OSError as error:
                print(f"sysctl: cannot open \"{path}\": {error.strerror}", file=sys.stderr)
                status = 1
        elif arg.startswith("-p"):
            assignments += parse(arg[2:])
        elif "=" in arg:
            key, _, value = arg.partition("=")
            assignments.append((key.replace("/", "."), value))
        elif not arg.startswith("-"):
            reads.append(arg.replace("/", "."))
    for key, value in assignments:
        status |= write(key, value, quiet)
    for key in reads:
        status |= read(key, value_only)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
