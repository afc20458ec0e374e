"""The review app's models: reviews and their policy, verdicts, comment threads, share links, the gate's
overrides, the audit trail, and the cache of computed diffs."""

from .cache import ReviewCache, ReviewNodeCache
from .comments import Comment, Thread
from .reviews import LabRun, Review, ReviewEvent, ReviewPolicy, ReviewScope, ReviewVerdict
from .shares import GateOverride, ShareLink, ShareOpening

__all__ = ["Comment", "GateOverride", "LabRun", "Review", "ReviewCache", "ReviewEvent", "ReviewNodeCache",
           "ReviewPolicy", "ReviewScope", "ReviewVerdict", "ShareLink", "ShareOpening", "Thread"]
