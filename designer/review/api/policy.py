"""A design's review policy and ownership scopes, its gate, and any two of its revisions compared."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from designer.api.permissions import DesignScoped
from designer.api.views.designs import BAD_INPUT
from designer.fabric.errors import DesignError, Problem
from designer.models import Membership
from designer.review.choices import Purpose
from designer.review.core.elements import COLLECTIONS
from designer.review.core.scopes import validate_pattern
from designer.review.models import ReviewPolicy, ReviewScope
from designer.review.services.computing import review_diff
from designer.review.services.gate import gate_break, gate_decide, revision_manifest

from .access import MANAGE, READ
from .serializers import BreakGlassSerializer, GateSerializer, PolicySerializer, ScopeSerializer

REVISION_PARAMETER = OpenApiParameter("revision", int, description="a revision id; the current one when left out")
PURPOSE_PARAMETER = OpenApiParameter("purpose", str, enum=Purpose.values, description="push (the default) or export")


class ReviewPolicyViewSet(DesignScoped, viewsets.GenericViewSet):
    """How many approvals the design's changes need, and whether exports are gated too."""

    serializer_class = PolicySerializer
    required_roles = {"retrieve": READ, "update": MANAGE}

    @extend_schema(summary="The design's review policy", responses={200: PolicySerializer})
    def retrieve(self, request: Request, design_pk: int) -> Response:
        policy = ReviewPolicy.objects.filter(design=self.design()).first() or ReviewPolicy()
        return Response(PolicySerializer(policy).data)

    @extend_schema(summary="Set the design's review policy (owners only)", request=PolicySerializer,
                   responses={200: PolicySerializer, 400: BAD_INPUT})
    def update(self, request: Request, design_pk: int) -> Response:
        design = self.design()
        payload = PolicySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        policy, _ = ReviewPolicy.objects.update_or_create(design=design, defaults=payload.validated_data)
        return Response(PolicySerializer(policy).data)


class ReviewScopeViewSet(DesignScoped, viewsets.GenericViewSet):
    """Ownership scopes: bundle path globs and element kinds, and who owns them (like CODEOWNERS)."""

    lookup_value_converter = "int"
    serializer_class = ScopeSerializer
    pagination_class = None
    required_roles = {"list": READ, "create": MANAGE, "destroy": MANAGE}

    @extend_schema(summary="The design's ownership scopes", responses={200: ScopeSerializer(many=True)})
    def list(self, request: Request, design_pk: int) -> Response:
        scopes = ReviewScope.objects.filter(design=self.design()).prefetch_related("members")
        return Response(ScopeSerializer(scopes, many=True).data)

    @extend_schema(summary="Add or replace a scope by name (owners only)", request=ScopeSerializer,
                   responses={201: ScopeSerializer, 400: BAD_INPUT})
    def create(self, request: Request, design_pk: int) -> Response:
        design = self.design()
        payload = ScopeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        problems = [Problem(f"paths[{i}]", why) for i, p in enumerate(data["paths"]) if (why := validate_pattern(p))]
        problems += [Problem(f"kinds[{i}]", f"'{kind}' is not one of {', '.join(COLLECTIONS)}")
                     for i, kind in enumerate(data["kinds"]) if kind not in COLLECTIONS]
        names = data["member_names"]
        members = list(get_user_model().objects.filter(
            username__in=Membership.objects.filter(design=design).values("user__username")).filter(username__in=names))
        problems += [Problem(f"member_names[{i}]", f"'{name}' is not a member of the design")
                     for i, name in enumerate(names) if name not in {m.username for m in members}]
        if not data["paths"] and not data["kinds"]:
            problems.append(Problem("paths", "a scope covers some bundle paths or element kinds"))
        if problems:
            raise DesignError(problems)
        with transaction.atomic():
            scope, _ = ReviewScope.objects.update_or_create(design=design, name=data["name"], defaults={
                "paths": data["paths"], "kinds": data["kinds"]})
            scope.members.set(members)
        return Response(ScopeSerializer(scope).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Remove a scope (owners only)", responses={204: None})
    def destroy(self, request: Request, design_pk: int, pk: int) -> Response:
        deleted, _ = ReviewScope.objects.filter(design=self.design(), pk=pk).delete()
        if not deleted:
            raise Http404(f"the design has no scope {pk}")
        return Response(status=status.HTTP_204_NO_CONTENT)


class CompareViewSet(DesignScoped, viewsets.GenericViewSet):
    """Any two revisions of a design compared as a review compares them, without opening one."""

    required_roles = {"retrieve": READ}

    @extend_schema(summary="What going from one revision to another does (the review's diff, cached)",
                   parameters=[OpenApiParameter("base", int, required=True, description="a revision id"),
                               OpenApiParameter("head", int, required=True, description="a revision id")],
                   responses={200: OpenApiTypes.OBJECT, 400: BAD_INPUT})
    def retrieve(self, request: Request, design_pk: int) -> Response:
        self.design()
        ids = {}
        for name in ("base", "head"):
            wanted = request.query_params.get(name, "")
            if not wanted.isdigit():
                raise DesignError(Problem(name, f"'{wanted}' is not a revision id", "give the id of a revision"))
            ids[name] = self.revision(int(wanted), field=name)
        return Response(review_diff(ids["base"], ids["head"]).summary)


class GateViewSet(DesignScoped, viewsets.GenericViewSet):
    """The gate a revision's bundle passes on its way out: push, and export where the policy says so."""

    serializer_class = GateSerializer
    required_roles = {"retrieve": READ, "break_glass": MANAGE}

    @extend_schema(summary="Whether a revision's bundle may leave now, and why",
                   parameters=[REVISION_PARAMETER, PURPOSE_PARAMETER], responses={200: GateSerializer, 400: BAD_INPUT})
    def retrieve(self, request: Request, design_pk: int) -> Response:
        design = self.design()
        wanted = request.query_params.get("revision")
        if wanted is not None and not wanted.isdigit():
            raise DesignError(Problem("revision", f"'{wanted}' is not a revision id"))
        revision = design.current_revision if wanted is None else self.revision(int(wanted), field="revision")
        purpose = request.query_params.get("purpose", Purpose.PUSH)
        if purpose not in Purpose.values:
            raise DesignError(Problem("purpose", f"'{purpose}' is not one of {', '.join(Purpose.values)}"))
        manifest = revision_manifest(revision)
        decision = gate_decide(design=design, revision=revision, manifest=manifest, purpose=purpose)
        return Response({**decision.as_dict(), "manifest": manifest})

    @extend_schema(summary="Break the glass: let a revision's bundle out without an approved review (owners only, "
                           "with a written reason; recorded and told to every member)",
                   request=BreakGlassSerializer, responses={201: GateSerializer, 400: BAD_INPUT,
                                                            403: OpenApiResponse(description="owners only")})
    def break_glass(self, request: Request, design_pk: int) -> Response:
        design = self.design()
        payload = BreakGlassSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        revision = self.revision(data["revision"], field="revision")
        override = gate_break(design=design, revision=revision, purpose=data["purpose"], user=request.user,
                              reason=data["reason"])
        decision = gate_decide(design=design, revision=revision, manifest=override.manifest, purpose=data["purpose"])
        return Response({**decision.as_dict(), "manifest": override.manifest}, status=status.HTTP_201_CREATED)
