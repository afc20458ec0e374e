"""The lab: a design's generated files proven in network namespaces with ifupdown2 and FRR.

Each node becomes a namespace, each cable a veth pair, each tenant attachment an endpoint
namespace; the checks report what converged and what did not, with the evidence.
"""

from .process import LabError
from .report import CheckResult, Evidence, LabReport, to_text
from .teardown import LabInterrupted, kept_runs
from .verify import DEFAULT_TIMEOUT, LabRefused, take_down, verify

__all__ = ["DEFAULT_TIMEOUT", "CheckResult", "Evidence", "LabError", "LabInterrupted", "LabRefused", "LabReport",
           "kept_runs", "take_down", "to_text", "verify"]
