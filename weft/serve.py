"""Serve Weft in production: uvicorn with several worker processes, websockets crossing them on channels_redis.

``python -m weft.serve --workers 2`` (what ``make serve`` runs) checks the settings first, so a missing
REDIS_URL or a bad key is told once instead of by every worker, then becomes uvicorn. Each worker is a
process of its own: a live plan uses one core, and N workers plan N designs at once.
"""

from __future__ import annotations

import argparse
import os
import sys

# uvicorn kills a worker that has not answered its ping within this many seconds, and every socket it held
# goes with it: on a busy machine a worker saving a large design answers late, not never (default 5).
WORKER_HEALTHCHECK_SECONDS = 30


def uvicorn_command(*, host: str, port: int, workers: int) -> list[str]:
    return [sys.executable, "-m", "uvicorn", "weft.asgi:application", "--host", host, "--port", str(port),
            "--workers", str(workers), "--loop", "uvloop", "--http", "httptools", "--ws", "websockets-sansio",
            "--lifespan", "off", "--proxy-headers", "--no-server-header", "--timeout-graceful-shutdown", "30",
            "--timeout-worker-healthcheck", str(WORKER_HEALTHCHECK_SECONDS)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")),
                        help="server processes (default: WEB_CONCURRENCY, else 2); one per core is a good start")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be 1 or more")
    os.environ["WEB_CONCURRENCY"] = str(args.workers)  # the settings check it against the channel layer
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weft.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    command = uvicorn_command(host=args.host, port=args.port, workers=args.workers)
    os.execv(command[0], command)  # noqa: S606 - uvicorn takes this process over, so signals reach it
    return 0  # not reached: the process is uvicorn now


if __name__ == "__main__":
    sys.exit(main())
