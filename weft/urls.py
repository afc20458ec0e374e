"""URL routes of the whole site: pages, the REST API under /api/, and the admin."""

from django.contrib import admin
from django.urls import include, path, re_path

from designer.api.views import no_such_endpoint

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("designer.api.urls")),
    path("api/", include("designer.review.api.urls")),
    re_path(r"^api/", no_such_endpoint),  # after every API: an id that is no number, or no endpoint, answers JSON
    path("", include("designer.review.urls")),
    path("", include("designer.urls")),
]
