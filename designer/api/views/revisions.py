"""Revisions of a design: list, retrieve, save against a base revision (409 when stale), YAML export."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from designer.fabric.document import dump_yaml, validate
from designer.models import Revision
from designer.services.access import READ, WRITE
from designer.services.designs import design_save

from ..permissions import DesignScoped
from ..schema import DOCUMENT_REF
from ..serializers import ConflictSerializer, RevisionCreateSerializer, RevisionDetailSerializer, RevisionSerializer
from .designs import BAD_INPUT


@extend_schema_view(
    list=extend_schema(summary="The revisions of a design, newest first"),
    retrieve=extend_schema(summary="A revision with its document", responses=RevisionDetailSerializer),
)
class RevisionViewSet(DesignScoped, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The immutable revisions of a design, newest first."""

    lookup_value_converter = "int"
    serializer_class = RevisionSerializer
    required_roles = {"list": READ, "retrieve": READ, "create": WRITE, "yaml": READ}

    def get_queryset(self):
        queryset = Revision.objects.filter(design=self.design()).select_related("author")
        return queryset.defer("document") if self.action == "list" else queryset

    def get_serializer_class(self):
        return RevisionSerializer if self.action == "list" else RevisionDetailSerializer

    @extend_schema(summary="Save a new revision on top of base_revision",
                   request={"application/json": RevisionCreateSerializer},
                   responses={201: RevisionDetailSerializer, 400: BAD_INPUT,
                              409: OpenApiResponse(ConflictSerializer, description="base_revision is not the "
                                                   "current revision any more: nothing was saved")})
    def create(self, request: Request, design_pk: int) -> Response:
        design = self.design()
        payload = RevisionCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        base_id = payload.validated_data["base_revision"]
        base = self.revision(base_id, field="base_revision") if base_id is not None else None
        revision = design_save(design=design, document=payload.validated_data["document"], base_revision=base,
                               author=request.user, message=payload.validated_data["message"])
        return Response(RevisionDetailSerializer(revision).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="The revision's document as a YAML design file",
                   responses={(200, "text/yaml"): DOCUMENT_REF})
    @action(detail=True, methods=["get"])
    def yaml(self, request: Request, design_pk: int, pk: int) -> HttpResponse:
        revision = get_object_or_404(self.get_queryset(), pk=pk)
        text = dump_yaml(validate(revision.document, source=f"revision {revision.number}"))
        response = HttpResponse(text, content_type="text/yaml; charset=utf-8")
        filename = f"{self.design().slug}-r{revision.number}.yaml"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
