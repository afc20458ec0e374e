"""Routes of the REST API, with its OpenAPI schema and Swagger UI."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from .views.compile import CompilePlanView, DesignSchemaView
from .views.designs import DesignViewSet
from .views.jobs import DesignExportViewSet, ExportViewSet, JobViewSet
from .views.push import PushRunViewSet, PushSetupViewSet
from .views.revisions import RevisionViewSet
from .views.tokens import SignInView, TokenViewSet

app_name = "api"

router = DefaultRouter(use_regex_path=False)
router.include_format_suffixes = False  # one URL per resource; the Accept header chooses the format
router.register("designs", DesignViewSet, basename="design")
router.register("designs/<int:design_pk>/revisions", RevisionViewSet, basename="revision")
router.register("designs/<int:design_pk>/exports", DesignExportViewSet, basename="design-export")
router.register("designs/<int:design_pk>/push-runs", PushRunViewSet, basename="push-run")
router.register("designs/<int:design_pk>/push", PushSetupViewSet, basename="push")
router.register("jobs", JobViewSet, basename="job")
router.register("exports", ExportViewSet, basename="export")
router.register("auth/tokens", TokenViewSet, basename="token")

urlpatterns = [
    path("compile/plan/", CompilePlanView.as_view(), name="compile-plan"),
    path("design-schema/", DesignSchemaView.as_view(), name="design-schema"),
    path("auth/token/", SignInView.as_view(), name="auth-token"),
    # A file name, so no trailing slash: /api/designs/7/diagrams/physical.svg
    path("designs/<int:pk>/diagrams/<str:view>.<str:fmt>", DesignViewSet.as_view({"get": "diagram"}),
         name="design-diagram"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]
