"""`make bench`: every benchmark of the product, printed as tables (figures go in the README).

Each measurement runs in a fresh Python process so peak memory is that step's own.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TIMEOUT_SECONDS = 3600  # a suite's whole process: the peers at 128 leaves take some 20 minutes of it
SUITES = ("cli", "compiler", "bundle", "large", "diagrams", "api", "serve", "review", "push", "peers")


def measure(module: str, *args: str) -> dict:
    result = subprocess.run([sys.executable, "-m", f"benchmarks.{module}", *args], cwd=ROOT, capture_output=True,
                            text=True, timeout=TIMEOUT_SECONDS, check=False)
    if result.returncode != 0:
        raise SystemExit(f"benchmark {module} {' '.join(args)} failed:\n{result.stderr}")
    return json.loads(result.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("suites", nargs="*", metavar="SUITE", help=f"some of: {', '.join(SUITES)} (default: all)")
    args = parser.parse_args()
    unknown = set(args.suites) - set(SUITES)
    if unknown:
        parser.error(f"unknown suite(s): {', '.join(sorted(unknown))}")
    for suite in args.suites or SUITES:
        module = __import__(f"benchmarks.{suite}", fromlist=["report"])
        print(module.report(measure))
        print()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
