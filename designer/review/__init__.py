"""Review: a change to a fabric shown as what it does to the canvas, the plan and every node's files.

``core/`` is the pure part (diffs of two revisions, approval rules, comment anchors), free of Django like
the compiler; the models, services, API, pages and sockets around it only store, authorise and show.
"""
