"""The designer's database models: designs and their revisions, who may do what, jobs and exports, API tokens."""

from .designs import Allocation, Design, Membership, Revision
from .jobs import Export, Job
from .tokens import ApiToken

__all__ = ["Allocation", "ApiToken", "Design", "Export", "Job", "Membership", "Revision"]
