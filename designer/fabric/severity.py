"""How much a finding weighs: the severities, most severe first.

Apart from the checks, so the command line can offer them before it imports the compiler.
"""

from __future__ import annotations

from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
