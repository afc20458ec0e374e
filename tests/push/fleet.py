"""Simulated nodes served from a thread of their own, so a worker's ``asyncio.run`` in the test's thread
can reach them: the way a Celery worker reaches real nodes, over TCP."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from designer.push.simulator import Faults, Fleet

START_SECONDS = 30


@contextmanager
def fleet_in_thread(names: list[str], deploy_public_key: str, faults: dict[str, Faults] | None = None
                    ) -> Iterator[Fleet]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="simulated-nodes", daemon=True)
    thread.start()
    fleet = Fleet(names, deploy_public_key, faults)
    asyncio.run_coroutine_threadsafe(fleet.__aenter__(), loop).result(START_SECONDS)
    try:
        yield fleet
    finally:
        asyncio.run_coroutine_threadsafe(fleet.__aexit__(None, None, None), loop).result(START_SECONDS)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(START_SECONDS)
        loop.close()
