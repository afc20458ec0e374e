"""Serving benchmark: live-plan throughput of Weft served as in production (``python -m weft.serve``, uvicorn
server processes, Redis), with 1 and with 2 server processes, at 1, 4 and 16 requests in flight.

The request is the canvas's: the working document of a 300-node fabric with the revision it started from,
sent after each of two kinds of edit. A drag moves an element, which changes nothing the plan reads: the
server process answers it from the answers it keeps. An edit changes what the plan reads (here a hypervisor
NIC's MTU, a new value in every request): a planner process plans it. A small asyncio client keeps one
HTTP/1.1 connection per request in flight, so it costs the server's cores little; the run is a fixed time
after a warm-up, and every answer that is not 200 counts as an error.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

WORKERS = (1, 2)
EDITS = ("drag", "edit")
CONCURRENCY = (1, 4, 16)
DESIGN = (6, 14, 20)  # spines, leaves, hypervisors per leaf: 300 devices
WARM_UP_SECONDS = 5
RUN_SECONDS = 20
REQUEST_SECONDS = 60


async def _one_connection(host: str, port: int, requests: Callable[[], bytes], deadline: float,
                          latencies: list[float], errors: list[str]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            writer.write(requests())
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


async def load(host: str, port: int, requests: Callable[[], bytes], *, concurrency: int, seconds: float) -> dict:
    """``concurrency`` connections, each sending the request ``requests()`` makes as soon as the last is answered."""
    latencies: list[float] = []
    errors: list[str] = []
    started = time.perf_counter()
    await asyncio.gather(*(_one_connection(host, port, requests, started + seconds, latencies, errors)
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


EDITED_MTU = b'"mtu": 9999'  # four digits, as every MTU an edit sets: the request keeps its length


def plan_requests(host: str, port: int, token: str, design: dict, edit: str) -> Callable[[], bytes]:
    """The canvas's requests after drags (the same plan every time) or after edits (a new MTU every time:
    1600 to 9199 in turn, one of some 7,600 different plans)."""
    if edit == "drag":
        request = plan_request(host, port, token, design)
        return lambda: request
    document = json.loads(json.dumps(design["document"]))
    document["devices"][-1]["nics"][0]["mtu"] = 9999
    request = plan_request(host, port, token, {**design, "document": document})
    assert request.count(EDITED_MTU) == 1
    head, tail = request.split(EDITED_MTU)
    mtus = itertools.cycle(range(1600, 9200))
    return lambda: b"%s\"mtu\": %d%s" % (head, next(mtus), tail)


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
            devices = len(site.designs["300"]["document"]["devices"])
            for edit in EDITS:
                requests = plan_requests(host, port, site.token, site.designs["300"], edit)
                asyncio.run(load(host, port, requests, concurrency=max(CONCURRENCY), seconds=WARM_UP_SECONDS))
                for concurrency in CONCURRENCY:
                    server_cpu, client_cpu = tree_cpu_seconds(site.server_pid), time.process_time()
                    result = asyncio.run(load(host, port, requests, concurrency=concurrency, seconds=RUN_SECONDS))
                    rows.append({"workers": workers, "edit": edit, "concurrency": concurrency, "devices": devices,
                                 **result, "client_cores": (time.process_time() - client_cpu) / RUN_SECONDS,
                                 "server_cores": (tree_cpu_seconds(site.server_pid) - server_cpu) / RUN_SECONDS})
    return rows


def report(run) -> str:
    rows = sorted(run("serve"), key=lambda row: (EDITS.index(row["edit"]), row["workers"], row["concurrency"]))
    one = {(row["edit"], row["concurrency"]): row["per_second"] for row in rows if row["workers"] == 1}
    lines = [f"POST /api/compile/plan/, {rows[0]['devices']} nodes, the canvas's request ({RUN_SECONDS} s per row "
             f"after a {WARM_UP_SECONDS} s warm-up; python -m weft.serve on loopback)", "",
             "| after a | server processes | in flight | requests/s | vs 1 process | p50 | p95 | errors | server CPU "
             "| client |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        ratio = f"{row['per_second'] / one[row['edit'], row['concurrency']]:.2f}x" if row["workers"] > 1 else ""
        lines.append(f"| {row['edit']} | {row['workers']} | {row['concurrency']} | {row['per_second']:.1f} | {ratio} | "
                     f"{row['p50_ms']:.0f} ms | {row['p95_ms']:.0f} ms | {row['errors']} | "
                     f"{row['server_cores']:.2f} | {row['client_cores']:.2f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    json.dump(measure(), sys.stdout)
