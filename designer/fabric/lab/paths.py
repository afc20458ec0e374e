"""Equal-cost paths the plan implies: how many first hops a node has towards another over routed links."""

from __future__ import annotations

from collections import deque

from ..plan.model import Plan

ROUTED_KINDS = ("unnumbered", "numbered")

Neighbours = dict[str, list[tuple[str, str]]]  # device -> (the device across, the link) per routed link


def routed_neighbours(plan: Plan) -> Neighbours:
    neighbours: Neighbours = {}
    for link in plan.links:
        if link.kind in ROUTED_KINDS:
            neighbours.setdefault(link.a_device, []).append((link.b_device, link.id))
            neighbours.setdefault(link.b_device, []).append((link.a_device, link.id))
    return neighbours


def first_hops(plan: Plan, source: str, target: str, neighbours: Neighbours | None = None) -> list[str]:
    """Links out of ``source`` that start a shortest path to ``target``, transiting only forwarding nodes.

    ``neighbours``: ``routed_neighbours(plan)``, passed in when asking of many pairs.
    """
    if neighbours is None:
        neighbours = routed_neighbours(plan)
    distance = {target: 0}
    queue = deque([target])
    while queue:
        node = queue.popleft()
        if node != target and not plan.devices[node].ip_forwarding:
            continue  # a host that does not forward ends a path, it does not carry one
        for other, _ in neighbours.get(node, []):
            if other not in distance:
                distance[other] = distance[node] + 1
                queue.append(other)
    if source not in distance:
        return []
    return [link for other, link in neighbours.get(source, [])
            if distance.get(other) == distance[source] - 1
            and (other == target or plan.devices[other].ip_forwarding)]
