"""The review API: reviews, their diffs, comments, verdicts, the gate, share links and review policy."""
