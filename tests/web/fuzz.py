"""``make fuzz``: schemathesis, every operation and every check, against Weft served as in production
(``tests.web.served``: uvicorn workers, Redis), on SQLite and on PostgreSQL, at least ``--cases`` generated
requests on each. Prints a table of what each check found; exits 1 on a server error or an answer outside
the schema. The JSON reports go to var/test-artifacts/fuzz/.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from tests.web.served import ROOT, served
from tests.web.servers import postgres

# Server errors, and answers that are not what the schema says: none may be found.
FORBIDDEN = {"ST101": "server error", "ST108": "answer outside its schema", "ST109": "malformed JSON",
             "ST110": "answer that cannot be read as its content type"}
DESIGNS = {"small": (2, 2, 1), "pod": (2, 4, 4)}
UNTHROTTLED = {"WEFT_SIGN_IN_RATE_ACCOUNT": "100000/hour", "WEFT_SIGN_IN_RATE_ADDRESS": "100000/hour"}
RUN_SECONDS = 3600
REPORTS = ROOT / "var" / "test-artifacts" / "fuzz"


def fuzz(database: str, *, max_examples: int, seed: int) -> dict:
    """One schemathesis run against a fresh site on ``database``; its JSON report."""
    with ExitStack() as stack:
        database_url = None
        if database == "postgresql":
            database_url = stack.enter_context(postgres(Path(stack.enter_context(tempfile.TemporaryDirectory()))))
        # Thousands of made-up sign-ins come from this one address: the throttles would soon refuse the run's own.
        site = stack.enter_context(served(workers=2, designs=DESIGNS, database_url=database_url, env=UNTHROTTLED))
        reports = REPORTS / database
        reports.mkdir(parents=True, exist_ok=True)
        for old in reports.glob("*.json"):
            old.unlink()
        # Schemathesis signs in for its token, and again when a case it made has revoked it (DELETE a token).
        sign_in = reports / "sign-in.json"
        sign_in.write_text(json.dumps({"auth": [{"name": "owner", "loginEndpointAuth": {
            "endpoint": "/api/auth/token/", "verb": "POST", "contentType": "application/json",
            "payloadUserPwd": {"username": site.username, "password": site.password, "usernameField": "username",
                               "passwordField": "password"},
            "token": {"extractFrom": "body", "extractSelector": "/token", "sendIn": "header",
                      "sendName": "Authorization", "sendTemplate": "Token {token}"}}}]}))
        subprocess.run([sys.executable, "-m", "schemathesis.cli", "run", f"{site.url}/api/schema/", "--checks", "all",
                        "--auth-wfc", str(sign_in), "--max-examples", str(max_examples),
                        # One schemathesis worker: with two, Hypothesis's own caches race (a KeyError in the run).
                        "--seed", str(seed), "--workers", "1", "--no-color", "--report", "json",
                        "--report-dir", str(reports)], cwd=ROOT, check=False, timeout=RUN_SECONDS,
                       stdout=(reports / "output.txt").open("w"), stderr=subprocess.STDOUT)
        (report,) = reports.glob("json-*.json")
        return json.loads(report.read_text())


def table(results: dict[str, dict]) -> str:
    codes = sorted({failure["code"] for report in results.values() for failure in report["failures"]})
    titles = {failure["code"]: failure["title"] for report in results.values() for failure in report["failures"]}
    lines = ["| database | operations | cases | " + " | ".join(f"{code} {titles[code]}" for code in codes) + " |",
             "|---|---|---|" + "---|" * len(codes)]
    for database, report in results.items():
        found = {failure["code"]: failure for failure in report["failures"]}
        cells = [str(found[code]["count"]) if code in found else "0" for code in codes]
        lines.append(f"| {database} | {report['operations']['tested']} | {report['test_cases']['generated']} | "
                     + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="the fewest generated requests per database")
    parser.add_argument("--max-examples", type=int, default=300, help="schemathesis's examples per operation")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], action="append")
    args = parser.parse_args()
    results = {database: fuzz(database, max_examples=args.max_examples, seed=args.seed)
               for database in args.database or ["sqlite", "postgresql"]}
    print(table(results))
    bad = []
    for database, report in results.items():
        if report["test_cases"]["generated"] < args.cases:
            bad.append(f"{database}: only {report['test_cases']['generated']} cases; raise --max-examples")
        for failure in report["failures"]:
            if failure["code"] in FORBIDDEN:
                bad.append(f"{database}: {failure['count']} {FORBIDDEN[failure['code']]}(s) in "
                           f"{', '.join(failure['operations'])}")
        if report["errors"]:
            bad.append(f"{database}: schemathesis errors: {report['errors']}")
    for line in bad:
        print(line, file=sys.stderr)
    print(f"details: {REPORTS}/<database>/output.txt")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
