"""Designs: list, create, retrieve, update, delete, import a YAML file, plan, findings and members."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from designer.fabric.diagrams import FORMATS, VIEWS, render_diagram
from designer.models import Membership, Revision
from designer.services.access import MANAGE, READ, WRITE, designs_for, membership_grant
from designer.services.compiling import revision_compiled
from designer.services.designs import design_create, design_import, design_update
from designer.services.plans import findings_summary, plan_payload

from ..parsers import ApplicationYamlParser, MultiPartParser, YamlTextParser
from ..permissions import DesignScoped
from ..serializers import (
    DesignCreateSerializer,
    DesignDetailSerializer,
    DesignImportSerializer,
    DesignSerializer,
    DesignUpdateSerializer,
    DiagramQuerySerializer,
    LintSerializer,
    MembershipSerializer,
    PlanSerializer,
    ProblemsSerializer,
    RevisionQuerySerializer,
)

BAD_INPUT = OpenApiResponse(ProblemsSerializer, description="bad input: each problem names its path")
DIAGRAM_TYPES = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf", "dot": "text/vnd.graphviz"}


@extend_schema_view(
    list=extend_schema(summary="The designs you are a member of"),
    retrieve=extend_schema(summary="A design with its current document"),
    # A document is JSON: forms are not documented for operations that carry one.
    create=extend_schema(request={"application/json": DesignCreateSerializer},
                         responses={201: DesignDetailSerializer, 400: BAD_INPUT}),
    partial_update=extend_schema(request=DesignUpdateSerializer,
                                 responses={200: DesignDetailSerializer, 400: BAD_INPUT}),
    update=extend_schema(request=DesignUpdateSerializer, responses={200: DesignDetailSerializer, 400: BAD_INPUT}),
)
class DesignViewSet(DesignScoped, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Designs you are a member of; what you may do with one depends on your role on it."""

    lookup_value_converter = "int"
    serializer_class = DesignSerializer
    design_lookup = "pk"
    required_roles = {"retrieve": READ, "update": WRITE, "partial_update": WRITE, "destroy": MANAGE,
                      "plan": READ, "lint": READ, "diagram": READ, "members": READ, "member_update": MANAGE}
    reads_document = frozenset({"retrieve", "update", "partial_update", "plan", "lint", "diagram"})

    def get_queryset(self):
        return designs_for(self.request.user).select_related("owner")

    def create(self, request: Request) -> Response:
        payload = DesignCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        design = design_create(owner=request.user, **payload.validated_data)
        return Response(self._detail(design.pk), status=status.HTTP_201_CREATED)

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(DesignDetailSerializer(self.design()).data)

    def update(self, request: Request, pk: int) -> Response:
        payload = DesignUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        design = design_update(design=self.design(), **payload.validated_data)
        return Response(DesignDetailSerializer(design).data)

    def partial_update(self, request: Request, pk: int) -> Response:
        return self.update(request, pk)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, pk: int) -> Response:
        self.design().delete()  # its export archives leave storage with their rows (designer.signals)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary="Import a YAML design file as a new design",
                   request={"multipart/form-data": DesignImportSerializer, "text/yaml": str,
                            "application/yaml": str},
                   responses={201: DesignDetailSerializer, 400: BAD_INPUT})
    @action(detail=False, methods=["post"], url_path="import",
            parser_classes=[MultiPartParser, YamlTextParser, ApplicationYamlParser])
    def import_file(self, request: Request) -> Response:
        if isinstance(request.data, bytes):
            design = design_import(owner=request.user, content=request.data, source="request body")
        else:
            payload = DesignImportSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            upload = payload.validated_data["file"]
            design = design_import(owner=request.user, content=upload.read(), name=payload.validated_data["name"],
                                   slug=payload.validated_data["slug"], source=upload.name)
        return Response(self._detail(design.pk), status=status.HTTP_201_CREATED)

    @extend_schema(summary="The plan of a revision: devices, links, tables and findings",
                   parameters=[RevisionQuerySerializer], responses={200: PlanSerializer, 400: BAD_INPUT})
    @action(detail=True, methods=["get"])
    def plan(self, request: Request, pk: int) -> Response:
        revision = self._revision()
        return Response({"revision": revision.pk, **plan_payload(revision_compiled(revision))})

    @extend_schema(summary="The findings of a revision", parameters=[RevisionQuerySerializer],
                   responses={200: LintSerializer, 400: BAD_INPUT})
    @action(detail=True, methods=["get"])
    def lint(self, request: Request, pk: int) -> Response:
        revision = self._revision()
        compiled = revision_compiled(revision)
        return Response({"revision": revision.pk, "findings": [f.as_dict() for f in compiled.findings],
                         "summary": findings_summary(compiled)})

    @extend_schema(summary="Who is a member of the design, with which role",
                   responses={200: MembershipSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def members(self, request: Request, pk: int) -> Response:
        memberships = Membership.objects.filter(design=self.design()).select_related("user")
        return Response(MembershipSerializer(memberships, many=True).data)

    @extend_schema(summary="Give a person a role on the design (owners only)", request=MembershipSerializer,
                   responses={200: MembershipSerializer, 400: BAD_INPUT})
    @members.mapping.post
    def member_update(self, request: Request, pk: int) -> Response:
        design = self.design()
        payload = MembershipSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        membership = membership_grant(design=design, username=payload.validated_data["user"]["username"],
                                      role=payload.validated_data["role"])
        return Response(MembershipSerializer(membership).data)

    @extend_schema(summary="A diagram of a revision's plan: physical, underlay, overlay (SVG, PNG, PDF or DOT)",
                   operation_id="designs_diagram",
                   parameters=[DiagramQuerySerializer,
                               OpenApiParameter("view", str, OpenApiParameter.PATH, enum=VIEWS),
                               OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=FORMATS,
                                                description="the air view comes as dot only")],
                   responses={(200, media_type): OpenApiTypes.BINARY for media_type in DIAGRAM_TYPES.values()}
                   | {400: BAD_INPUT})
    def diagram(self, request: Request, pk: int, view: str, fmt: str) -> HttpResponse:
        query = _query(DiagramQuerySerializer, request)
        revision = self._revision()
        plan = revision_compiled(revision).plan
        drawing = render_diagram(plan, view, fmt, vni=query.get("vni"), vrf=query.get("vrf") or None)
        return HttpResponse(drawing, content_type=DIAGRAM_TYPES.get(fmt, "application/octet-stream"))

    def _detail(self, pk: int) -> dict:
        design = get_object_or_404(designs_for(self.request.user).select_related("owner", "current_revision"), pk=pk)
        return DesignDetailSerializer(design).data

    def _revision(self) -> Revision:
        design = self.design()
        wanted = _query(RevisionQuerySerializer, self.request).get("revision")
        return design.current_revision if wanted is None else self.revision(wanted, field=None)


def _query(serializer_class: type[serializers.Serializer], request: Request) -> dict:
    """The query's parameters of ``serializer_class``, each given once at most; empty is no value of its type."""
    given = {name: request.query_params.getlist(name) for name in serializer_class().fields
             if name in request.query_params}
    repeated = {name: "given more than once" for name, values in given.items() if len(values) > 1}
    if repeated:
        raise ValidationError(repeated)
    query = serializer_class(data={name: values[0] for name, values in given.items()})
    query.is_valid(raise_exception=True)
    return query.validated_data
