"""Pings as the checks use them: until the first reply within a bound, or one frame of an exact size."""

from __future__ import annotations

from .process import Outcome, in_netns, run

REPLY_WITHIN = 3  # seconds a reachable address gets to answer (ARP, EVPN flooding on the first frame)
IPV4_OVERHEAD = 28  # IPv4 header + ICMP header: ping -s MTU-28 fills an MTU-sized packet
IPV6_OVERHEAD = 48


def payload_for(mtu: int, *, ipv6: bool = False) -> int:
    return mtu - (IPV6_OVERHEAD if ipv6 else IPV4_OVERHEAD)


def reach(namespace: str, target: str, *, mtu: int | None = None, source: str | None = None,
          ipv6: bool = False) -> Outcome:
    """Ping until one reply or ``REPLY_WITHIN`` seconds; with ``mtu``, one full-size packet, DF set."""
    argv = ["ping", "-n", "-c", "1", "-i", "0.2", "-w", str(REPLY_WITHIN)]
    if mtu is not None:
        argv += ["-M", "do", "-s", str(payload_for(mtu, ipv6=ipv6))]
    if source is not None:
        argv += ["-I", source]
    return run(in_netns(namespace, [*argv, target]), timeout=REPLY_WITHIN + 5)


def too_large(namespace: str, target: str, *, mtu: int, ipv6: bool = False) -> Outcome:
    """One packet a byte larger than ``mtu`` with DF set: it must be refused, locally or on the way."""
    argv = ["ping", "-n", "-c", "1", "-W", "1", "-M", "do", "-s", str(payload_for(mtu, ipv6=ipv6) + 1), target]
    return run(in_netns(namespace, argv), timeout=10)
