"""Timing whole processes as a user runs them: wall time, CPU time and peak memory, children included."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path

TIMEOUT = 1800
# Python writes its compiled bytecode beside what it imports, as on any user's machine; an environment set
# not to would make every run compile every module again, which no user's command line does.
ENVIRONMENT = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str], cwd: Path) -> dict:
    """``wall_s`` and ``cpu_s`` (user + system) of one whole process and the processes it waited for, and
    ``peak_mib``, the peak memory of the largest of them."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors, env=ENVIRONMENT)
        deadline = started + TIMEOUT
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                process.wait()
                raise SystemExit(f"{command[0]} did not finish in {TIMEOUT} s")
            time.sleep(0.002)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"{' '.join(command)} failed:\n{errors.read().decode(errors='replace')[-2000:]}")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_mib": usage.ru_maxrss / 1024}
