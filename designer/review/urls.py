"""Routes of the review pages, and of what a share link opens."""

from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("designs/<int:pk>/reviews/", views.review_list, name="list"),
    path("reviews/<int:pk>/", views.review_page, name="review"),
    path("reviews/<int:pk>/act/", views.review_act, name="act"),
    path("reviews/<int:pk>/node/", views.node_page, name="node"),
    path("s/<str:token>/", views.shared_page, name="shared"),
]
