"""``manage.py bench_compile``: p50/p95 server time of ``POST /api/compile/plan/`` for fabrics of 50, 300 and
1,000 nodes, measured in-process (no network), as the canvas calls it while the architect draws."""

from __future__ import annotations

import json
import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from rest_framework.test import APIClient

from designer.fabric.document import to_data
from designer.fabric.generate import leaf_spine

# spines, leaves, hypervisors per leaf: 50, 300 and 1,004 devices (leaves take 24 hosts at most).
SIZES = {"50": (2, 4, 11), "300": (6, 14, 20), "1000": (4, 40, 24)}


class Command(BaseCommand):
    help = "Measure the server time of the canvas's live planning endpoint for 50, 300 and 1,000-node designs."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--runs", type=int, default=30, help="requests per size, after one to warm up")
        parser.add_argument("--json", action="store_true", help="machine-readable output")

    def handle(self, *args, runs: int, **options) -> None:
        client = APIClient(SERVER_NAME="127.0.0.1")
        client.force_authenticate(get_user_model()(username="bench"))  # never saved: no database needed
        results = [measure(client, label, runs) for label in SIZES]
        if options["json"]:
            self.stdout.write(json.dumps(results, indent=2))
            return
        for result in results:
            self.stdout.write(
                f"{result['devices']:>5} devices: server p50 {result['server_ms_p50']:7.1f} ms  "
                f"p95 {result['server_ms_p95']:7.1f} ms | whole request p50 {result['request_ms_p50']:7.1f} ms  "
                f"p95 {result['request_ms_p95']:7.1f} ms | answer {result['answer_kib']} KiB")



def measure(client: APIClient, label: str, runs: int) -> dict:
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
        if index:  # the first run warms caches up
            server.append(json.loads(response.content)["server_ms"])
            request.append(elapsed)
    return {"nodes": int(label), "devices": len(design.devices), "runs": runs,
            "server_ms_p50": percentile(server, 50), "server_ms_p95": percentile(server, 95),
            "request_ms_p50": percentile(request, 50), "request_ms_p95": percentile(request, 95),
            "answer_kib": len(response.content) // 1024}


def percentile(values: list[float], rank: int) -> float:
    return round(statistics.quantiles(values, n=100, method="inclusive")[rank - 1], 2)
