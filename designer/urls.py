"""Routes of the designer's pages."""

from django.urls import path

from . import views

app_name = "designer"

urlpatterns = [
    path("", views.index, name="index"),
]
