"""Websocket routes of the designer."""

from django.urls import path

from .consumers import DesignConsumer, JobConsumer

websocket_urlpatterns = [
    path("ws/jobs/<int:job_id>/", JobConsumer.as_asgi()),
    path("ws/designs/<int:design_id>/", DesignConsumer.as_asgi()),
]
