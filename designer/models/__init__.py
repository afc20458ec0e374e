"""The designer's database models: designs and their revisions, who may do what, jobs and exports, push."""

from .designs import Allocation, Design, Membership, Revision
from .jobs import Export, Job
from .push import AuditEvent, DeployKey, HostKey, NodeAccess, NodeRun, PushRun

__all__ = ["Allocation", "AuditEvent", "DeployKey", "Design", "Export", "HostKey", "Job", "Membership", "NodeAccess",
           "NodeRun", "PushRun", "Revision"]
