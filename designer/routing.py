"""Websocket routes of the designer."""

from django.urls import path

from .consumers import DesignConsumer, JobConsumer
from .push.consumers import PushRunConsumer
from .review.consumers import ReviewConsumer

websocket_urlpatterns = [
    path("ws/jobs/<int:job_id>/", JobConsumer.as_asgi()),
    path("ws/designs/<int:design_id>/", DesignConsumer.as_asgi()),
    path("ws/push/<int:run_id>/", PushRunConsumer.as_asgi()),
    path("ws/reviews/<int:review_id>/", ReviewConsumer.as_asgi()),
]
