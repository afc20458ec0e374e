"""Pools of numbers, addresses and subnets, and the pinned allocation that draws from them."""

from __future__ import annotations

import functools
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import netaddr

from ..addresses import ip_network
from ..errors import DesignError, Problem
from .record import AllocationRecord


class NumberPool:
    """Integers ``first..last`` in steps of ``step``, handed out lowest free first."""

    def __init__(self, name: str, first: int, last: int, *, step: int = 1, described: str = ""):
        self.name = name
        self.first = first
        self.last = last
        self.step = step
        self.described = described or f"{first}-{last}"
        self._used: set[int] = set()
        self._cursor = first

    def parse(self, value: Any) -> int | None:
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def format(self, value: int) -> Any:
        return value

    def contains(self, value: int) -> bool:
        return self.first <= value <= self.last and (value - self.first) % self.step == 0

    def take(self, value: int) -> bool:
        """Mark ``value`` used; False when it is outside the pool or already used."""
        if not self.contains(value) or value in self._used:
            return False
        self._used.add(value)
        return True

    def next(self) -> int | None:
        value = self._cursor
        while value <= self.last:
            if self.take(value):
                self._cursor = value + self.step
                return value
            value += self.step
        self._cursor = value
        return None


class AddressPool(NumberPool):
    """Host addresses (``length`` None) or subnets of one ``length`` inside a prefix."""

    def __init__(self, name: str, prefix: str, *, length: int | None = None, hosts_only: bool = True,
                 excluded: tuple[str, ...] = ()):
        net = ip_network(prefix)
        # ranges inside the prefix that are never handed out (reserved by an RFC, used by the cloud)
        self.excluded = [(ip_network(p).first, ip_network(p).last) for p in excluded
                         if ip_network(p).version == net.version]
        self.version = net.version
        bits = 32 if net.version == 4 else 128
        self.prefix = str(net.cidr)
        if length is None:
            self.length = bits
            first, last = net.first, net.last
            if hosts_only and net.size > 2:
                first += 1  # the network address (or v6 subnet-router anycast)
                if net.version == 4:
                    last -= 1  # the broadcast address
            super().__init__(name, first, last, described=self.prefix)
        else:
            if length < net.prefixlen:
                raise ValueError(f"/{length} does not fit in {self.prefix}")
            self.length = length
            step = 1 << (bits - length)
            super().__init__(name, net.first, net.last - step + 1, step=step, described=self.prefix)

    def contains(self, value: int) -> bool:
        return super().contains(value) and not (self.excluded
                                                and any(first <= value <= last for first, last in self.excluded))

    def parse(self, value: Any) -> int | None:
        if not isinstance(value, str):
            return None
        parsed = _parsed(value)
        if parsed is None:
            return None
        version, prefixlen, network, ip = parsed
        if version != self.version:
            return None
        if "/" in value and prefixlen != self.length:
            return None
        return network if self.length != (32 if self.version == 4 else 128) else ip

    def format(self, value: int) -> str:
        return _formatted(value, self.version, self.length)


# A plan pinned to an allocation record reads back every address in it, and the canvas plans the same
# record after every edit: the text of an address and its number are worked out once.
@functools.lru_cache(maxsize=1 << 16)
def _parsed(value: str) -> tuple[int, int, int, int] | None:
    """An address or prefix as (IP version, prefix length, network as a number, address as a number).

    An address in its plain form (all a record holds) is read by the C library, some fifty times faster than
    by netaddr, which reads the rest; both give the same for what the C library reads.
    """
    address, slash, length = value.partition("/")
    version, bits = (6, 128) if ":" in address else (4, 32)
    try:
        packed = socket.inet_pton(socket.AF_INET6 if version == 6 else socket.AF_INET, address)
    except (OSError, ValueError):
        packed = None
    if packed is not None and (not slash or (length.isascii() and length.isdigit() and length == str(int(length))
                                             and int(length) <= bits)):
        prefixlen = int(length) if slash else bits
        ip = int.from_bytes(packed, "big")
        return version, prefixlen, ip >> (bits - prefixlen) << (bits - prefixlen), ip
    try:
        net = ip_network(value)
    except (netaddr.AddrFormatError, ValueError):
        return None
    return net.version, net.prefixlen, int(net.network), int(net.ip)


@functools.lru_cache(maxsize=1 << 16)
def _formatted(value: int, version: int, length: int) -> str:
    # by the C library, several times faster than netaddr, which writes each address the same way (zeros left
    # out where RFC 5952 says, an IPv4-mapped address dotted; see test_allocation_properties)
    address = (socket.inet_ntop(socket.AF_INET, value.to_bytes(4, "big")) if version == 4
               else socket.inet_ntop(socket.AF_INET6, value.to_bytes(16, "big")))
    return address if length == (32 if version == 4 else 128) else f"{address}/{length}"


@dataclass(slots=True)
class Request:
    """One element asking for a value: its record key, a value the document pins, where it is."""

    key: str
    path: str
    explicit: Any = None


class Allocator:
    """Draws values for elements: document-pinned first, then the old record's, then new ones.

    Values from the old record are kept as long as the element exists and the value still lies in
    its pool, so adding or removing other elements never moves them.
    """

    def __init__(self, previous: AllocationRecord | None):
        self.previous = previous or AllocationRecord()
        self.record = AllocationRecord()
        self.notes: list[str] = []

    def assign(self, namespace: str, pool: NumberPool, requests: Iterable[Request], *,
               pool_path: str, hint: str = "") -> dict[str, Any]:
        requests = list(requests)
        out: dict[str, Any] = {}
        previous = self.previous.namespace(namespace)
        pending: list[Request] = []
        for request in requests:
            if request.explicit is not None:
                value = pool.parse(request.explicit)
                if value is not None:
                    pool.take(value)
                out[request.key] = request.explicit
        for request in requests:
            if request.explicit is not None:
                continue
            old = previous.get(request.key)
            value = pool.parse(old) if old is not None else None
            if value is not None and pool.take(value):
                out[request.key] = pool.format(value)
                self.record.put(namespace, request.key, out[request.key])
            else:
                if old is not None:
                    self.notes.append(f"{request.path}: {old} no longer fits pool {pool.name} "
                                      f"({pool.described}) or is taken; allocated anew")
                pending.append(request)
        for index, request in enumerate(pending):
            value = pool.next()
            if value is None:
                raise DesignError(Problem(
                    pool_path,
                    f"pool {pool.name} ({pool.described}) is exhausted: {len(pending) - index} more "
                    f"needed, first for {request.path}",
                    hint or f"enlarge {pool_path}"))
            out[request.key] = pool.format(value)
            self.record.put(namespace, request.key, out[request.key])
        return out

    def keep(self, namespace: str, key: str, make: Callable[[], Any]) -> Any:
        """A value with no pool (a WireGuard key): reuse the recorded one or make it once."""
        value = self.previous.get(namespace, key)
        if value is None:
            value = make()
        self.record.put(namespace, key, value)
        return value


def by_device(drawn: dict[str, Any]) -> dict[str, Any]:
    """Values drawn for ``scope@device`` record keys, keyed by the device alone."""
    return {key.split("@", 1)[1]: value for key, value in drawn.items()}


def number_range(text: str) -> tuple[int, int]:
    first, last = text.split("-")
    return int(first), int(last)
