"""API benchmark: p50/p95 server time of ``POST /api/compile/plan/`` (the canvas's live plan) for designs of
50, 300 and 1,000 nodes, measured in-process through Django's test client (no network)."""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

# spines, leaves, hypervisors per leaf: 50, 300 and 1,004 devices
SIZES = {"50": (2, 4, 11), "300": (6, 14, 20), "1000": (4, 40, 24)}
RUNS = 30


def percentile(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))], 2)


def measure(client, label: str, runs: int) -> dict:
    from designer.fabric.document import to_data
    from designer.fabric.generate import leaf_spine

    spines, leaves, hosts = SIZES[label]
    design = leaf_spine(spines=spines, leaves=leaves, hypervisors_per_leaf=hosts, name=f"bench-{label}")
    body = json.dumps({"document": to_data(design)})
    server, request = [], []
    for index in range(runs + 1):
        started = time.perf_counter()
        response = client.generic("POST", "/api/compile/plan/", body, content_type="application/json")
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"the {label}-node design was refused: {response.content[:500]!r}")
        if index:  # the first request warms caches up
            server.append(json.loads(response.content)["server_ms"])
            request.append(elapsed)
    return {"devices": len(design.devices), "server_ms_p50": percentile(server, 50),
            "server_ms_p95": percentile(server, 95), "request_ms_p50": percentile(request, 50),
            "request_ms_p95": percentile(request, 95), "answer_kib": len(response.content) // 1024,
            "median_ms": statistics.median(request)}


def report(run) -> str:
    rows = run("api")
    lines = [f"POST /api/compile/plan/ ({RUNS} requests per size after one warm-up; server time as the endpoint "
             "reports it, whole request as the client sees it)", "",
             "| nodes | server p50 | server p95 | request p50 | request p95 | answer |", "|---|---|---|---|---|---|"]
    for row in rows:
        lines.append(f"| {row['devices']} | {row['server_ms_p50']:.0f} ms | {row['server_ms_p95']:.0f} ms | "
                     f"{row['request_ms_p50']:.0f} ms | {row['request_ms_p95']:.0f} ms | {row['answer_kib']} KiB |")
    return "\n".join(lines)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weft.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from rest_framework.test import APIClient

    client = APIClient(SERVER_NAME="127.0.0.1")
    client.force_authenticate(get_user_model()(username="bench"))  # never saved: no database needed
    json.dump([measure(client, label, RUNS) for label in SIZES], sys.stdout)


if __name__ == "__main__":
    main()
