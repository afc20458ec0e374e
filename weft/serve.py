"""Serve Weft in production: uvicorn in one or several processes, websockets crossing them on channels_redis.

``python -m weft.serve --workers 2`` (what ``make serve`` runs) checks the settings first, so a missing
REDIS_URL or a bad key is told once instead of by every worker. With one worker the process becomes that
uvicorn server. With several it is their dispatcher: it holds the listening socket, accepts every connection
and hands the workers their turns, over a Unix socket of each worker's own (the descriptor itself, with
SCM_RIGHTS: the bytes never pass through the dispatcher). Workers sharing one listening socket
would not spread the load: the first to wake accepts the whole burst of new connections, which then stay
with it while kept alive, and one core does the work of two. The dispatcher starts a worker again when one
dies, and on SIGTERM or SIGINT lets every worker finish its requests (30 s at most) before it exits.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import logging
import os
import selectors
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

APPLICATION = "weft.asgi:application"
GRACEFUL_SHUTDOWN_SECONDS = 30
RESTART_PAUSE_SECONDS = 1  # the least time between a worker's start and its next, should it die
HANDED = b"c"  # the one byte of a message on a worker's channel; the connection's descriptor rides along

log = logging.getLogger("uvicorn.error")  # where uvicorn tells its own starts and stops


def uvicorn_config(*, host: str, port: int):
    import uvicorn

    return uvicorn.Config(APPLICATION, host=host, port=port, loop="uvloop", http="httptools",
                          ws="websockets-sansio", lifespan="off", proxy_headers=True, server_header=False,
                          timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS)


# --- a worker: uvicorn without a listening socket, serving the connections its dispatcher hands it ---

def serve_handed_connections(channel: socket.socket, *, host: str, port: int) -> None:
    import uvicorn

    class HandedConnections(uvicorn.Server):
        async def startup(self, sockets=None) -> None:
            await super().startup(sockets=[])  # no socket of its own to listen on
            config, loop = self.config, asyncio.get_running_loop()

            def protocol() -> asyncio.Protocol:  # what uvicorn makes for a connection it accepted itself
                return config.http_protocol_class(config=config, server_state=self.server_state,
                                                  app_state=self.lifespan.state)

            def take() -> None:
                while True:
                    try:
                        _, fds, _, _ = socket.recv_fds(channel, 1, 1)
                    except BlockingIOError:
                        return
                    if not fds:  # the dispatcher is gone: finish what is in hand, take nothing more
                        loop.remove_reader(channel.fileno())
                        self.should_exit = True
                        return
                    connection = socket.socket(fileno=fds[0])
                    loop.create_task(loop.connect_accepted_socket(protocol, connection))

            channel.setblocking(False)
            loop.add_reader(channel.fileno(), take)

        async def shutdown(self, sockets=None) -> None:
            with contextlib.suppress(ValueError, OSError):
                asyncio.get_running_loop().remove_reader(channel.fileno())
            await super().shutdown(sockets)

    HandedConnections(uvicorn_config(host=host, port=port)).run()


# --- the dispatcher ---

@dataclass
class Worker:
    process: subprocess.Popen
    channel: socket.socket
    started: float = field(default_factory=time.monotonic)


def start_worker(*, host: str, port: int, workers: int) -> Worker:
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    with theirs:
        process = subprocess.Popen([sys.executable, "-m", "weft.serve", "--host", host, "--port", str(port),
                                    "--workers", str(workers), "--channel", str(theirs.fileno())],
                                   pass_fds=[theirs.fileno()])
    ours.setblocking(False)
    log.info("Started server process [%d] for the dispatcher", process.pid)
    return Worker(process, ours)


def dispatch(listener: socket.socket, *, host: str, port: int, workers: int) -> int:
    """Hand the connections ``listener`` accepts to the workers in turn, until SIGTERM or SIGINT."""
    wakeup_read, wakeup_write = socket.socketpair()
    wakeup_write.setblocking(False)
    signal.set_wakeup_fd(wakeup_write.fileno())
    stopping: list[int] = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda signum, _frame: stopping.append(signum))
    signal.signal(signal.SIGCHLD, lambda *_: None)  # a worker's death wakes the loop up too

    team = [start_worker(host=host, port=port, workers=workers) for _ in range(workers)]
    turns = itertools.cycle(range(workers))
    listener.setblocking(False)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    selector.register(wakeup_read, selectors.EVENT_READ)
    log.info("Dispatching connections on http://%s:%d to %d server processes", host, port, workers)
    try:
        while not stopping:
            for key, _ in selector.select(timeout=1):
                if key.fileobj is listener:
                    _hand_over(listener, team, turns)
                else:
                    with contextlib.suppress(BlockingIOError):
                        wakeup_read.recv(4096)
            for index, worker in enumerate(team):
                # a process that died at once is started again on a later round, not in a tight loop; the
                # others go on being handed connections meanwhile (a dead one's channel refuses them)
                if (stopping or worker.process.poll() is None
                        or time.monotonic() - worker.started < RESTART_PAUSE_SECONDS):
                    continue
                log.error("Server process [%d] died (exit status %s); starting another", worker.process.pid,
                          worker.process.returncode)
                worker.channel.close()
                team[index] = start_worker(host=host, port=port, workers=workers)
    finally:
        listener.close()
        for worker in team:
            with contextlib.suppress(ProcessLookupError):
                worker.process.terminate()
        deadline = time.monotonic() + GRACEFUL_SHUTDOWN_SECONDS + 5
        for worker in team:
            try:
                worker.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()
        log.info("Stopped dispatching (%s)", ", ".join(signal.Signals(s).name for s in stopping) or "error")
    return 0


def _hand_over(listener: socket.socket, team: list[Worker], turns: Iterator[int]) -> None:
    while True:
        try:
            connection, _ = listener.accept()
        except BlockingIOError:
            return
        except ConnectionError:  # reset before it was accepted
            continue
        except OSError as exc:  # out of descriptors: the connections wait in the backlog a little
            log.warning("accept: %s", exc)
            time.sleep(0.1)
            return
        with connection:  # the worker has its own copy of the descriptor once it is sent
            for _ in team:  # a worker whose channel is full (stuck) or closed (dying) loses its turn
                worker = team[next(turns)]
                with contextlib.suppress(BlockingIOError, OSError):
                    socket.send_fds(worker.channel, [HANDED], [connection.fileno()])
                    break


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")),
                        help="server processes (default: WEB_CONCURRENCY, else 2); one per core is a good start")
    parser.add_argument("--channel", type=int, help=argparse.SUPPRESS)  # a worker: its dispatcher's socket
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be 1 or more")
    os.environ["WEB_CONCURRENCY"] = str(args.workers)  # the settings check it against the channel layer
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weft.settings")
    if args.channel is not None:
        serve_handed_connections(socket.socket(fileno=args.channel), host=args.host, port=args.port)
        return 0
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    config = uvicorn_config(host=args.host, port=args.port)
    if args.workers == 1:
        import uvicorn

        uvicorn.Server(config).run()
        return 0
    listener = config.bind_socket()
    listener.listen(config.backlog)
    return dispatch(listener, host=args.host, port=args.port, workers=args.workers)


if __name__ == "__main__":
    sys.exit(main())
