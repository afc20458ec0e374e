"""The wave planner: which nodes change together, canaries first, never two of one redundancy group.

Pure: the nodes, their groups and what changes on each go in, the waves come out. The rules a user
sets (``WaveRules``) can only make the plan stricter than the design's own groups and rack share.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .groups import NodeFacts, RedundancyGroup

NO_CHANGE = "none"
DEFAULT_RACK_SHARE = 0.5  # at most half of a rack's managed nodes change at once


class RulesError(ValueError):
    """Rules that would loosen the design's own limits, or that make no sense."""


@dataclass(frozen=True, slots=True)
class WaveRules:
    """How careful a run is. Every field can only make the waves smaller or more numerous."""

    rack_share: float = DEFAULT_RACK_SHARE
    max_wave_size: int | None = None
    canaries: bool = True
    extra_groups: tuple[RedundancyGroup, ...] = ()
    failure_threshold: int = 0  # failures a later wave may have before the run stops; canaries always stop it

    def __post_init__(self) -> None:
        if not 0 < self.rack_share <= DEFAULT_RACK_SHARE:
            raise RulesError(f"rack_share must be above 0 and at most {DEFAULT_RACK_SHARE} "
                             f"(the design's own limit); got {self.rack_share}")
        if self.max_wave_size is not None and self.max_wave_size < 1:
            raise RulesError(f"max_wave_size must be 1 or more; got {self.max_wave_size}")
        if not self.canaries:
            raise RulesError("canaries cannot be turned off: the first wave is always one node of each role")
        if self.failure_threshold < 0:
            raise RulesError(f"failure_threshold must be 0 or more; got {self.failure_threshold}")


@dataclass(frozen=True, slots=True)
class WavePlan:
    """``waves[0]`` is the canary wave; ``skipped``: nodes with nothing to change; ``why``: each wave's reason."""

    waves: tuple[tuple[str, ...], ...]
    skipped: tuple[str, ...]
    why: tuple[str, ...] = field(default=())

    def wave_of(self, node: str) -> int | None:
        for index, wave in enumerate(self.waves):
            if node in wave:
                return index
        return None


def plan_waves(nodes: Mapping[str, NodeFacts], changes: Mapping[str, str], groups: Iterable[RedundancyGroup],
               rules: WaveRules | None = None) -> WavePlan:
    """Waves for the nodes in ``changes`` (node -> its disruption class; ``none`` is skipped).

    The canary wave holds one node of each role the change touches; every later wave is filled greedily,
    most disruptive nodes first, without two members of one group nor more than the rack share of a rack.
    """
    rules = rules or WaveRules()
    all_groups = [*groups, *rules.extra_groups]
    skipped = tuple(sorted(name for name, change in changes.items() if change == NO_CHANGE))
    changing = sorted((name for name, change in changes.items() if change != NO_CHANGE),
                      key=lambda name: (nodes[name].role, name))
    group_of: dict[str, list[int]] = {}
    for index, group in enumerate(all_groups):
        for member in group.members:
            group_of.setdefault(member, []).append(index)
    rack_size: dict[str | None, int] = {}
    for facts in nodes.values():
        rack_size[facts.rack] = rack_size.get(facts.rack, 0) + 1

    def rack_limit(rack: str | None) -> int:
        if rack is None:
            return rules.max_wave_size or len(changing) or 1
        return max(1, math.floor(rack_size[rack] * rules.rack_share))

    class _Wave:
        def __init__(self) -> None:
            self.members: list[str] = []
            self.groups: set[int] = set()
            self.racks: dict[str | None, int] = {}

        def fits(self, name: str) -> bool:
            rack = nodes[name].rack
            return (not self.groups.intersection(group_of.get(name, ()))
                    and self.racks.get(rack, 0) < rack_limit(rack)
                    and (rules.max_wave_size is None or len(self.members) < rules.max_wave_size))

        def add(self, name: str) -> None:
            self.members.append(name)
            self.groups.update(group_of.get(name, ()))
            rack = nodes[name].rack
            self.racks[rack] = self.racks.get(rack, 0) + 1

    canary = _Wave()
    for role in sorted({nodes[name].role for name in changing}):
        for name in (n for n in changing if nodes[n].role == role):
            if canary.fits(name):
                canary.add(name)
                break
    waves: list[_Wave] = []
    for name in changing:
        if name in canary.members:
            continue
        wave = next((w for w in waves if w.fits(name)), None)
        if wave is None:
            wave = _Wave()
            waves.append(wave)
        wave.add(name)
    ordered = [canary, *waves] if canary.members else waves
    why = ["canaries: one node of each role the change touches"] * bool(canary.members)
    why += [f"wave {i}: no two members of a redundancy group, at most {rules.rack_share:.0%} of a rack"
            for i in range(1, len(waves) + 1)]
    return WavePlan(tuple(tuple(sorted(w.members)) for w in ordered), skipped, tuple(why))
