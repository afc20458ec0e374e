"""Push: a revision's node bundles delivered over SSH, wave by wave, each node commit-confirmed.

A pure core (``states``, ``groups``, ``waves``, ``health``, ``inventory``, ``keys``) with thin edges
around it: ``ssh`` (asyncssh), ``engine`` (one run's plan phase and waves), ``store`` (the database),
and the Celery task, API and page in the Django app.
"""
