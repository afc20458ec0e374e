"""The pure core of review: diffs of two compiled revisions and their bundles, approval rules and comment
anchors. Free of Django and of I/O except running FRR's own reload script on two files."""
