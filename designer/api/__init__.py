"""The REST API under ``/api/``: serializers, permissions, views and routes."""
