"""URL routes of the whole site: pages, the REST API under /api/, and the admin."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("designer.api.urls")),
    path("api/", include("designer.review.api.urls")),
    path("", include("designer.review.urls")),
    path("", include("designer.urls")),
]
