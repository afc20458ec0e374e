"""A node's way through a push run: its states, which moves are allowed, and which states are final."""

from __future__ import annotations

from enum import StrEnum


class NodeState(StrEnum):
    PENDING = "pending"            # nothing done yet
    STAGED = "staged"              # the node holds this run's bundle
    CHECKED = "checked"            # check and diff ran: the plan phase's answer is in
    APPLIED = "applied"            # installed with a confirm timeout: the node's watchdog is armed
    CONFIRMED = "confirmed"        # healthy over a fresh connection, and the watchdog disarmed
    VERIFIED = "verified"          # the node reports the target manifest installed and confirmed
    SKIPPED = "skipped"            # nothing to change, or already on the target manifest
    FAILED = "failed"              # a check, refusal or apply failed; the node kept or restored its files
    ROLLED_BACK = "rolled-back"    # the node's watchdog restored the previous files
    UNKNOWN = "unknown"            # a command's outcome was lost (connection dropped, timeout): to be resolved
    UNREACHABLE = "unreachable"    # no SSH session could be had (address, host key, login)


MEANING = {
    NodeState.PENDING: "nothing done yet",
    NodeState.STAGED: "the node holds this run's bundle",
    NodeState.CHECKED: "every file passed its check; the diff is shown",
    NodeState.APPLIED: "installed; the node restores its old files unless confirmed in time",
    NodeState.CONFIRMED: "healthy over a fresh connection; the change is kept",
    NodeState.VERIFIED: "the node reports the new files installed and confirmed",
    NodeState.SKIPPED: "nothing to change",
    NodeState.FAILED: "a check, refusal or apply failed; the node is on its old files",
    NodeState.ROLLED_BACK: "the node's watchdog put the old files back",
    NodeState.UNKNOWN: "the outcome of a command was lost; being resolved by asking the node",
    NodeState.UNREACHABLE: "no SSH session could be opened",
}

_MOVES: dict[NodeState, frozenset[NodeState]] = {
    # a drift check reads the node without staging anything
    NodeState.PENDING: frozenset({NodeState.STAGED, NodeState.CHECKED, NodeState.SKIPPED, NodeState.FAILED,
                                  NodeState.UNREACHABLE}),
    NodeState.STAGED: frozenset({NodeState.CHECKED, NodeState.FAILED, NodeState.UNREACHABLE}),
    # a resumed run may find that its earlier attempt's apply did reach the node
    NodeState.CHECKED: frozenset({NodeState.APPLIED, NodeState.SKIPPED, NodeState.FAILED, NodeState.UNKNOWN,
                                  NodeState.UNREACHABLE, NodeState.ROLLED_BACK, NodeState.VERIFIED}),
    NodeState.APPLIED: frozenset({NodeState.CONFIRMED, NodeState.VERIFIED, NodeState.ROLLED_BACK, NodeState.FAILED,
                                  NodeState.UNKNOWN, NodeState.UNREACHABLE}),
    NodeState.CONFIRMED: frozenset({NodeState.VERIFIED, NodeState.UNKNOWN, NodeState.UNREACHABLE}),
    NodeState.UNKNOWN: frozenset({NodeState.APPLIED, NodeState.CONFIRMED, NodeState.VERIFIED, NodeState.ROLLED_BACK,
                                  NodeState.FAILED, NodeState.UNREACHABLE, NodeState.CHECKED}),
    # a node that could not be reached may be tried again when the run is started again
    NodeState.UNREACHABLE: frozenset({NodeState.PENDING}),
}

# A node in one of these has nothing more to do in this run.
FINAL = frozenset({NodeState.VERIFIED, NodeState.SKIPPED, NodeState.FAILED, NodeState.ROLLED_BACK,
                   NodeState.UNREACHABLE})
# Ends that count against the run: a canary in one stops it, and later waves stop past the threshold.
BAD = frozenset({NodeState.FAILED, NodeState.ROLLED_BACK, NodeState.UNREACHABLE, NodeState.UNKNOWN})
# The node may be running new files that nobody confirmed yet: a resumed run must ask it first.
IN_FLIGHT = frozenset({NodeState.APPLIED, NodeState.CONFIRMED, NodeState.UNKNOWN})


class IllegalMove(Exception):
    """A state change the machine does not allow: a bug in the caller, never a node's fault."""


def move(current: NodeState | str, target: NodeState | str) -> NodeState:
    """``target`` if a node in ``current`` may go there (staying put is always allowed); else ``IllegalMove``."""
    current, target = NodeState(current), NodeState(target)
    if target == current or target in _MOVES.get(current, frozenset()):
        return target
    raise IllegalMove(f"a node cannot go from {current} to {target}")
