"""Review benchmark: a one-VNI change to generated leaf-spine fabrics, reviewed from scratch (compile both
revisions, build both bundles, diff every node's files in the node's own terms, store) and opened again from
the cache through the API, in a database of the benchmark's own.
"""

from __future__ import annotations

import copy
import json
import os
import statistics
import sys
import time

from .database import own_database

# spines, leaves, hypervisors per leaf: 62 and 642 devices
SIZES = {"62": (2, 12, 4), "642": (2, 128, 4)}
CACHED_RUNS = 10


def one_vni_more(document: dict) -> dict:
    """The change under review: one more VNI, attached where the last one is."""
    changed = copy.deepcopy(document)
    network = copy.deepcopy(changed["networks"][-1])
    network.update(id="bench-vni", name="bench-vni", vni=int(network["vni"]) + 1000)
    changed["networks"].append(network)
    return changed


def measure_size(client, owner, label: str) -> dict:
    from designer.fabric.document import to_data
    from designer.fabric.generate import leaf_spine
    from designer.review.services.computing import review_diff
    from designer.review.services.reviews import review_open
    from designer.services.designs import design_create, design_save

    spines, leaves, hosts = SIZES[label]
    design = design_create(owner=owner, name=f"bench-{label}", document=to_data(
        leaf_spine(spines=spines, leaves=leaves, hypervisors_per_leaf=hosts, name=f"bench-{label}")))
    base = design.current_revision
    head = design_save(design=design, document=one_vni_more(base.document), base_revision=base, author=owner)
    review = review_open(design=design, author=owner, title="one more VNI", base=base, head=head)

    started, cpu = time.perf_counter(), _cpu_seconds()
    computed = review_diff(base, head)
    first, first_cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    summary = computed.summary
    opened = []
    for _ in range(CACHED_RUNS):
        started = time.perf_counter()
        response = client.get(f"/api/reviews/{review.pk}/diff/")
        opened.append(time.perf_counter() - started)
        assert response.status_code == 200, response.content[:300]
    detail = []
    for _ in range(3):
        started = time.perf_counter()
        assert client.get(f"/api/reviews/{review.pk}/").status_code == 200
        detail.append(time.perf_counter() - started)
    return {"devices": len(base.document["devices"]), "nodes_changed": summary["counts"]["changed"],
            "files": summary["counts"]["files"], "classes": summary["counts"]["classes"],
            "first_s": round(first, 2), "first_cpu_s": round(first_cpu, 2),
            "cached_ms": round(statistics.median(opened) * 1000), "detail_ms": round(statistics.median(detail) * 1000),
            "answer_kib": len(response.content) // 1024}


def _cpu_seconds() -> float:
    """CPU time of this process and of the tools it ran (GNU diff): what the work costs, however busy the
    machine is that shares the cores."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def report(run) -> str:
    rows = run("review")
    lines = ["Review of a one-VNI change (computed once, then opened from the cache: GET /api/reviews/{id}/diff/, "
             f"median of {CACHED_RUNS}; the review with its approval status: GET /api/reviews/{{id}}/, median of 3)",
             "", "| nodes | nodes changed | files | computed | its CPU time | opened from cache | with status "
             "| answer |",
             "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        lines.append(f"| {row['devices']} | {row['nodes_changed']} | {row['files']} | {row['first_s']:.2f} s | "
                     f"{row['first_cpu_s']:.2f} s | {row['cached_ms']} ms | {row['detail_ms']} ms | "
                     f"{row['answer_kib']} KiB |")
    return "\n".join(lines)


def main() -> None:
    with own_database("weft-bench-review-") as (owner, client):
        json.dump([measure_size(client, owner, label) for label in SIZES], sys.stdout)

if __name__ == "__main__":
    main()
