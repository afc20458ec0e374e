"""API benchmark: p50/p95 server time of ``POST /api/compile/plan/`` (the canvas's live plan) for designs of
50, 300 and 1,000 nodes, measured in-process through Django's test client (no network).

Each design is stored first, in a database of the benchmark's own, because the canvas sends the revision its
working document started from with every edit (its allocations stay pinned). Every request follows an edit, as
on the canvas: one NIC's MTU set to a value not sent before (a one-element edit), or one device dragged to a
new place; the same with the Plan tab open (tables too), and a one-element edit sent without a revision.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import statistics
import sys
import time
from pathlib import Path

from .database import own_database

# spines, leaves, hypervisors per leaf: 50, 300 and 1,004 devices
SIZES = {"50": (2, 4, 11), "300": (6, 14, 20), "1000": (4, 40, 24)}
RUNS = 30
# What the canvas sends after an edit: the working document with its base revision, with the tables while the
# Plan tab is open; and the document alone, as a script planning a file would.
REQUESTS = {
    "canvas, one-element edit": {"revision": True, "tables": False, "edit": "mtu"},
    "canvas, one-element edit, Plan tab open": {"revision": True, "tables": True, "edit": "mtu"},
    "canvas, element dragged": {"revision": True, "tables": False, "edit": "drag"},
    "document only, one-element edit": {"revision": False, "tables": False, "edit": "mtu"},
}


def percentile(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))], 2)


def edited(document: dict, edit: str, index: int) -> dict:
    """``document`` after the ``index``-th edit of a kind: each request sends a document not sent before."""
    devices = list(document["devices"])
    device = dict(devices[index % len(devices)])
    if edit == "drag":
        device["position"] = {"x": 1000.0 + index, "y": 300.0}
    else:
        device["nics"] = [{**device["nics"][0], "mtu": 2000 + index}, *device["nics"][1:]]
    devices[index % len(devices)] = device
    return {**document, "devices": devices}


def cpu_ms() -> float:
    """CPU time so far of this process (the server, all its threads) and of its planner processes, in ms.

    On a machine busy with other work the time a request takes grows with the wait for a core; the CPU time
    it costs does not. A planner's is read from /proc (Linux), to the nanosecond.
    """
    total = time.process_time() * 1000
    for child in multiprocessing.active_children():
        with contextlib.suppress(OSError, ValueError, IndexError):  # a planner that just ended
            total += int(Path(f"/proc/{child.pid}/schedstat").read_text().split()[0]) / 1e6
    return total


def measure(client, body: dict, runs: int, edit: str) -> dict:
    server, request, cpu = [], [], []
    for index in range(runs + 1):
        encoded = json.dumps({**body, "document": edited(body["document"], edit, index)})
        started, spent = time.perf_counter(), cpu_ms()
        response = client.generic("POST", "/api/compile/plan/", encoded, content_type="application/json")
        elapsed, spent = (time.perf_counter() - started) * 1000, cpu_ms() - spent
        if response.status_code != 200:
            raise RuntimeError(f"the design {body['document']['name']} was refused: {response.content[:500]!r}")
        if index:  # the first request warms caches up
            server.append(json.loads(response.content)["server_ms"])
            request.append(elapsed)
            cpu.append(spent)
    return {"server_ms_p50": percentile(server, 50), "server_ms_p95": percentile(server, 95),
            "request_ms_p50": percentile(request, 50), "request_ms_p95": percentile(request, 95),
            "cpu_ms_p50": percentile(cpu, 50), "answer_kib": len(response.content) // 1024,
            "median_ms": statistics.median(request)}


def measure_size(client, owner, label: str, runs: int) -> list[dict]:
    from designer.fabric.document import to_data
    from designer.fabric.generate import leaf_spine
    from designer.services.designs import design_create

    spines, leaves, hosts = SIZES[label]
    design = leaf_spine(spines=spines, leaves=leaves, hypervisors_per_leaf=hosts, name=f"bench-{label}")
    stored = design_create(owner=owner, name=design.name, document=to_data(design))
    rows = []
    for kind, sent in REQUESTS.items():
        body = {"document": stored.current_revision.document, "tables": sent["tables"]}
        if sent["revision"]:
            body["revision"] = stored.current_revision_id
        rows.append({"devices": len(design.devices), "request": kind, **measure(client, body, runs, sent["edit"])})
    return rows


def report(run) -> str:
    rows = run("api")
    lines = [f"POST /api/compile/plan/ ({RUNS} requests per size and kind after one warm-up, each after an edit; "
             "server time as the endpoint reports it, whole request as the client sees it, CPU time of the server "
             "and its planner per request)", "",
             "| nodes | request | server p50 | server p95 | request p50 | request p95 | CPU p50 | answer |",
             "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        lines.append(f"| {row['devices']} | {row['request']} | {row['server_ms_p50']:.0f} ms | "
                     f"{row['server_ms_p95']:.0f} ms | {row['request_ms_p50']:.0f} ms | "
                     f"{row['request_ms_p95']:.0f} ms | {row['cpu_ms_p50']:.0f} ms | {row['answer_kib']} KiB |")
    return "\n".join(lines)


def main() -> None:
    with own_database("weft-bench-api-") as (owner, client):
        json.dump([row for label in SIZES for row in measure_size(client, owner, label, RUNS)], sys.stdout)

if __name__ == "__main__":
    main()
