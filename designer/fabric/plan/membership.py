"""Devices to the segments that list them (VNIs, VRFs, networks), each list of segments made once.

A large fabric has thousands of VTEPs carrying the same VNIs: walking every VNI's VTEPs one by one is as
many steps as VTEPs times VNIs, some half a million, and several stages did it. Segments with the same
members (compared as whole tuples, in C) are taken together, so the walk is over devices times kinds of
membership instead, and every device with the same segments gets the same list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import chain
from typing import TypeVar

Segment = TypeVar("Segment")


def by_device(segments: list[Segment], members: Callable[[Segment], Iterable[str]]) -> dict[str, list[Segment]]:
    """Device -> the segments whose ``members`` list it, in the segments' order; devices in the order they
    first appear. Devices with the same segments share one list: never change one."""
    groups: dict[tuple[str, ...], list[int]] = {}  # the same members -> those segments' positions
    for position, segment in enumerate(segments):
        groups.setdefault(tuple(members(segment)), []).append(position)
    kinds: dict[str, list[int]] = {}  # device -> the groups it is in, in order
    for number, member_ids in enumerate(groups):
        for device_id in member_ids:
            kinds.setdefault(device_id, []).append(number)
    positions = list(groups.values())
    lists: dict[tuple[int, ...], list[Segment]] = {}
    out: dict[str, list[Segment]] = {}
    for device_id, numbers in kinds.items():
        key = tuple(numbers)
        found = lists.get(key)
        if found is None:
            chosen = positions[numbers[0]] if len(numbers) == 1 else sorted(chain.from_iterable(
                positions[number] for number in numbers))
            found = lists[key] = [segments[position] for position in chosen]
        out[device_id] = found
    return out
