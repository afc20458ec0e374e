"""Tests of the web application: REST API, jobs, websockets, pages and deployment settings."""
