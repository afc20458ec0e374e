"""The designer's database models: designs and their revisions, who may do what, jobs and exports."""

from .designs import Allocation, Design, Membership, Revision
from .jobs import Export, Job

__all__ = ["Allocation", "Design", "Export", "Job", "Membership", "Revision"]
