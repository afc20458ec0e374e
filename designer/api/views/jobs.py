"""Jobs and exports: start an export, follow a job, download a finished archive."""

from __future__ import annotations

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from designer.models import Export, Job
from designer.models.choices import ArchiveFormat
from designer.services.access import EXPORT, designs_for
from designer.services.exports import export_start

from ..permissions import DesignScoped, require_role
from ..serializers import ExportCreateSerializer, JobSerializer, JobStartedSerializer
from .designs import BAD_INPUT

CONTENT_TYPES = {ArchiveFormat.TAR_GZ: "application/gzip", ArchiveFormat.ZIP: "application/zip"}


class DesignExportViewSet(DesignScoped, viewsets.GenericViewSet):
    """Export jobs of a design: each builds a config bundle archive in the background."""

    lookup_value_converter = "int"
    serializer_class = ExportCreateSerializer
    required_roles = {"create": EXPORT}

    @extend_schema(summary="Start an export job: a config bundle archive of a revision",
                   request=ExportCreateSerializer,
                   responses={202: JobStartedSerializer, 400: BAD_INPUT,
                              409: OpenApiResponse(description="the design gates exports and no approved review "
                                                   "covers these bytes")})
    def create(self, request: Request, design_pk: int) -> Response:
        design = self.design()
        payload = ExportCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        revision_id = payload.validated_data["revision"]
        revision = design.current_revision if revision_id is None else self.revision(revision_id, field="revision")
        job = export_start(design=design, revision=revision, archive_format=payload.validated_data["format"],
                           node=payload.validated_data["node"], user=request.user)
        return Response({"job": JobSerializer(job).data}, status=status.HTTP_202_ACCEPTED)


class JobViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A job of a design you are a member of: status, progress, log lines, result and error."""

    lookup_value_converter = "int"
    serializer_class = JobSerializer

    def get_queryset(self):
        return Job.objects.filter(design__in=designs_for(self.request.user).values("pk"))


class ExportViewSet(viewsets.GenericViewSet):
    """Finished export archives; downloading one needs the export role (it holds private keys)."""

    lookup_value_converter = "int"

    def get_queryset(self):
        return Export.objects.filter(revision__design__in=designs_for(self.request.user).values("pk"))

    @extend_schema(summary="Download the archive of a finished export",
                   responses={(200, "application/gzip"): OpenApiTypes.BINARY,
                              (200, "application/zip"): OpenApiTypes.BINARY,
                              404: OpenApiResponse(description="no such export, or it is not finished")})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: int) -> FileResponse:
        export = get_object_or_404(self.get_queryset(), pk=pk)
        require_role(designs_for(request.user).get(revisions__exports=export), EXPORT)
        if not export.file:
            raise NotFound("the export has not finished")
        return FileResponse(export.file.open("rb"), as_attachment=True, filename=export.file.name.rsplit("/")[-1],
                            content_type=CONTENT_TYPES[export.format])
