"""Serving benchmark: live-plan throughput of Weft served as in production (``python -m weft.serve``, uvicorn
worker processes, Redis), with 1 and with 2 server processes, at 1, 4 and 16 requests in flight.

The request is the canvas's: the working document of a 300-node fabric with the revision it started from.
A small asyncio client keeps one HTTP/1.1 connection per request in flight, so it costs the server's cores
little; the run is a fixed time after a warm-up, and every answer that is not 200 counts as an error.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from pathlib import Path

WORKERS = (1, 2)
CONCURRENCY = (1, 4, 16)
DESIGN = (6, 14, 20)  # spines, leaves, hypervisors per leaf: 300 devices
WARM_UP_SECONDS = 5
RUN_SECONDS = 20
REQUEST_SECONDS = 60


async def _one_connection(host: str, port: int, request: bytes, deadline: float, latencies: list[float],
                          errors: list[str]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            writer.write(request)
            status, body = await asyncio.wait_for(_response(reader), REQUEST_SECONDS)
            if status == 200:
                latencies.append(time.perf_counter() - started)
            else:
                errors.append(f"{status}: {body[:200]!r}")
    finally:
        writer.close()


async def _response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = next(int(line.split(":", 1)[1]) for line in lines if line.lower().startswith("content-length:"))
    return status, await reader.readexactly(length)


async def load(host: str, port: int, request: bytes, *, concurrency: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    started = time.perf_counter()
    await asyncio.gather(*(_one_connection(host, port, request, started + seconds, latencies, errors)
                           for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)

    def percentile(pct: int) -> float:
        return round(ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))] * 1000, 1)

    return {"requests": len(latencies), "per_second": round(len(latencies) / elapsed, 2),
            "p50_ms": percentile(50), "p95_ms": percentile(95), "errors": len(errors), "first_error": errors[:1]}


def plan_request(host: str, port: int, token: str, design: dict) -> bytes:
    body = json.dumps({"document": design["document"], "revision": design["revision"]}).encode()
    return (f"POST /api/compile/plan/ HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Token {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) used so far by process ``pid`` and every process under it still running:
    the server, its workers and their planners."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            todo.extend(int(child) for task in Path(f"/proc/{current}/task").iterdir()
                        for child in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def measure() -> list[dict]:
    from tests.web.served import served

    rows = []
    for workers in WORKERS:
        with served(workers=workers, designs={"300": DESIGN}) as site:
            host, port = site.host_port
            request = plan_request(host, port, site.token, site.designs["300"])
            devices = len(site.designs["300"]["document"]["devices"])
            asyncio.run(load(host, port, request, concurrency=max(CONCURRENCY), seconds=WARM_UP_SECONDS))
            for concurrency in CONCURRENCY:
                server_cpu, client_cpu = tree_cpu_seconds(site.server_pid), time.process_time()
                result = asyncio.run(load(host, port, request, concurrency=concurrency, seconds=RUN_SECONDS))
                rows.append({"workers": workers, "concurrency": concurrency, "devices": devices, **result,
                             "server_cores": (tree_cpu_seconds(site.server_pid) - server_cpu) / RUN_SECONDS,
                             "client_cores": (time.process_time() - client_cpu) / RUN_SECONDS})
    return rows


def report(run) -> str:
    rows = run("serve")
    one = {row["concurrency"]: row["per_second"] for row in rows if row["workers"] == 1}
    lines = [f"POST /api/compile/plan/, {rows[0]['devices']} nodes, the canvas's request ({RUN_SECONDS} s per row "
             f"after a {WARM_UP_SECONDS} s warm-up; python -m weft.serve on loopback)", "",
             "| server processes | in flight | requests/s | vs 1 process | p50 | p95 | errors | server CPU | client |",
             "|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        ratio = f"{row['per_second'] / one[row['concurrency']]:.2f}x" if row["workers"] > 1 else ""
        lines.append(f"| {row['workers']} | {row['concurrency']} | {row['per_second']:.1f} | {ratio} | "
                     f"{row['p50_ms']:.0f} ms | {row['p95_ms']:.0f} ms | {row['errors']} | "
                     f"{row['server_cores']:.2f} | {row['client_cores']:.2f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    json.dump(measure(), sys.stdout)
