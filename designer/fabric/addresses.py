"""Parsing addresses and prefixes with netaddr, naming the IP version up front.

Told nothing, netaddr tries IPv4 first, and for an IPv6 string that raises and catches an error
whose traceback leaves reference cycles behind (eleven objects per call). A plan parses thousands
of addresses, so those cycles became most of what the garbage collector had to clear after a plan.
"""

from __future__ import annotations

import netaddr


def ip_network(text: str) -> netaddr.IPNetwork:
    return netaddr.IPNetwork(text, version=6 if ":" in text else 4)


def ip_address(text: str) -> netaddr.IPAddress:
    return netaddr.IPAddress(text, version=6 if ":" in text else 4)
