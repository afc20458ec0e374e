"""The designer's database models: designs and their revisions, who may do what, jobs and exports, push, API
tokens."""

from .designs import Allocation, Design, Membership, Revision
from .jobs import Export, Job
from .push import AuditEvent, DeployKey, HostKey, NodeAccess, NodeRun, PushRun
from .tokens import ApiToken

__all__ = ["Allocation", "ApiToken", "AuditEvent", "DeployKey", "Design", "Export", "HostKey", "Job", "Membership",
           "NodeAccess", "NodeRun", "PushRun", "Revision"]
