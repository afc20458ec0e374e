"""The lab's report: each check passed, failed, failed as the plan predicts, or not exercised; evidence, timings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# "expected-fail": what the plan itself says cannot work (and the design checks warned of) did not work;
# it proves nothing about the files, so it never makes a report pass nor fail.
Status = Literal["pass", "fail", "not-exercised", "expected-fail"]
RAN = ("pass", "fail")

EVIDENCE_LIMIT = 12  # items kept per check: every failure matters, a few passes show the method
OUTPUT_LIMIT = 1500  # characters of one command's output


@dataclass(frozen=True, slots=True)
class Evidence:
    """A command the lab ran and what it printed, trimmed to stay readable."""

    command: str
    output: str
    ok: bool = True

    def as_dict(self) -> dict:
        return {"command": self.command, "output": self.output, "ok": self.ok}


def trim(text: str, limit: int = OUTPUT_LIMIT) -> str:
    text = text.strip()
    return text if len(text) <= limit else f"{text[:limit]}\n... ({len(text) - limit} more characters)"


@dataclass(slots=True)
class CheckResult:
    """One check: its verdict, what it found (``detail``), the elements involved and the evidence."""

    name: str
    title: str
    status: Status
    detail: str
    elements: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {"name": self.name, "title": self.title, "status": self.status, "detail": self.detail,
                "elements": list(self.elements), "seconds": round(self.seconds, 2),
                "evidence": [e.as_dict() for e in self.evidence]}


def verdict(name: str, title: str, *, failures: list[tuple[str, list[str], Evidence]], passes: list[Evidence],
            total: int, what: str) -> CheckResult:
    """A check's result from its failing and passing probes: fail if any failed, never pass on nothing."""
    if total == 0:
        return CheckResult(name, title, "not-exercised", f"no {what} to check in this design")
    if failures:
        elements = list(dict.fromkeys(e for _, els, _ in failures for e in els))
        messages = [message for message, _, _ in failures]
        shown = "; ".join(messages[:8]) + (f"; ... ({len(messages) - 8} more)" if len(messages) > 8 else "")
        evidence = [ev for _, _, ev in failures][:EVIDENCE_LIMIT]
        return CheckResult(name, title, "fail", f"{len(failures)} of {total} {what} failed: {shown}",
                           elements, evidence)
    return CheckResult(name, title, "pass", f"all {total} {what} passed", [], passes[:3])


@dataclass(slots=True)
class LabReport:
    """Everything a lab run found; ``ok`` only when every check that ran passed and at least one did."""

    design: str
    run_id: str
    checks: list[CheckResult] = field(default_factory=list)
    checks_after_reboot: list[CheckResult] = field(default_factory=list)  # the same checks once every node rebooted
    phases: dict[str, float] = field(default_factory=dict)
    kernel: dict[str, bool] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    kept: str = ""  # how to enter the lab when it was left up

    @property
    def ok(self) -> bool:
        ran = [c for c in self.checks + self.checks_after_reboot if c.status in RAN]
        return bool(ran) and all(c.status == "pass" for c in ran)

    def check(self, name: str, *, after_reboot: bool = False) -> CheckResult | None:
        checks = self.checks_after_reboot if after_reboot else self.checks
        return next((c for c in checks if c.name == name), None)

    @property
    def seconds(self) -> float:
        return sum(self.phases.values())

    def as_dict(self) -> dict:
        return {"design": self.design, "run_id": self.run_id, "ok": self.ok, "seconds": round(self.seconds, 2),
                "phases": {name: round(s, 2) for name, s in self.phases.items()},
                "kernel": dict(self.kernel), "notes": list(self.notes),
                "checks": [c.as_dict() for c in self.checks],
                "checks_after_reboot": [c.as_dict() for c in self.checks_after_reboot], "kept": self.kept}


MARK = {"pass": "PASS", "fail": "FAIL", "not-exercised": "SKIP", "expected-fail": "XFAIL"}


def to_text(report: LabReport, *, verbose: bool = False) -> str:
    """The report as a person reads it in a terminal: verdicts first, evidence of failures after."""
    lines = [f"lab {report.run_id}: {report.design}"]
    missing = [name for name, present in report.kernel.items() if not present]
    if missing:
        lines.append(f"kernel lacks: {', '.join(missing)}")
    lines += [f"note: {note}" for note in report.notes]
    rounds = [("", report.checks)]
    if report.checks_after_reboot:
        rounds.append(("after reboot: ", report.checks_after_reboot))
    width = max((len(c.name) for c in report.checks + report.checks_after_reboot), default=0)
    for heading, checks in rounds:
        lines.append("" if not heading else "\nafter every node rebooted:")
        for result in checks:
            lines.append(f"{MARK[result.status]:<5} {result.name:<{width}}  {result.detail}")
    for heading, checks in rounds:
        for result in checks:
            if result.status in ("fail", "expected-fail") or (verbose and result.evidence):
                lines += ["", f"{heading}{result.name}: {result.title}"]
                for item in result.evidence:
                    lines.append(f"  $ {item.command}")
                    lines += [f"    {line}" for line in item.output.splitlines()]
    lines += ["", "phases: " + ", ".join(f"{name} {s:.1f}s" for name, s in report.phases.items())
              + f" (total {report.seconds:.1f}s)"]
    ran = any(c.status in RAN for c in report.checks + report.checks_after_reboot)
    verdict_line = ("every exercised check passed" if report.ok else
                    "the lab found problems" if ran else "nothing could be exercised here")
    lines.append(f"result: {verdict_line}")
    if report.kept:
        lines += ["", report.kept]
    return "\n".join(lines)
