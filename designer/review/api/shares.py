"""Share links: made and revoked by editors; opened by anyone holding the token, read-only or to comment."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from designer.api.permissions import DesignScoped
from designer.api.views.designs import BAD_INPUT
from designer.fabric.errors import DesignError, Problem
from designer.review.choices import ShareScope
from designer.review.models import Review, ShareLink
from designer.review.services.comments import thread_start
from designer.review.services.computing import node_review, review_diff
from designer.review.services.shares import share_create, share_open, share_revoke
from designer.review.services.snapshot import share_snapshot

from .access import OPEN, READ
from .serializers import (
    GuestCommentSerializer,
    ShareCreatedSerializer,
    ShareCreateSerializer,
    ShareSerializer,
)
from .views import NODE_PARAMETER

GONE = OpenApiResponse(description="no such link, or it expired or was revoked")


class ShareLinkViewSet(DesignScoped, viewsets.GenericViewSet):
    """The share links of a design: to a revision or a review, view or comment, lasting at most 30 days."""

    lookup_value_converter = "int"
    serializer_class = ShareSerializer
    required_roles = {"list": READ, "create": OPEN, "destroy": OPEN}

    def get_queryset(self):
        return ShareLink.objects.filter(design=self.design()).select_related("created_by")

    @extend_schema(summary="The design's share links, newest first")
    def list(self, request: Request, design_pk: int) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ShareSerializer(page, many=True).data)

    @extend_schema(summary="Make a share link; its token is in this answer only", request=ShareCreateSerializer,
                   responses={201: ShareCreatedSerializer, 400: BAD_INPUT})
    def create(self, request: Request, design_pk: int) -> Response:
        design = self.design()
        payload = ShareCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        review = None
        if data["review"] is not None:
            review = Review.objects.filter(design=design, pk=data["review"]).first()
            if review is None:
                raise DesignError(Problem("review", f"design '{design.name}' has no review {data['review']}"))
        revision = self.revision(data["revision"], field="revision") if data["revision"] is not None else None
        link, token = share_create(design=design, user=request.user, scope=data["scope"], days=data["days"],
                                   review=review, revision=revision, label=data["label"])
        answer = ShareSerializer(link).data
        answer.update(token=token, url=request.build_absolute_uri(f"/s/{token}/"))
        return Response(answer, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Revoke a share link at once", responses={200: ShareSerializer})
    def destroy(self, request: Request, design_pk: int, pk: int) -> Response:
        link = self.get_queryset().filter(pk=pk).first()
        if link is None:
            raise Http404(f"the design has no share link {pk}")
        return Response(ShareSerializer(share_revoke(link=link, user=request.user)).data)


class SharedViewSet(viewsets.GenericViewSet):
    """What a share link shows to anyone holding it; an expired, revoked or unknown link answers 404."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    serializer_class = GuestCommentSerializer

    def _link(self, token: str, what: str) -> ShareLink:
        link = share_open(token=token, what=what, address=self.request.META.get("REMOTE_ADDR"),
                          user_agent=self.request.META.get("HTTP_USER_AGENT", ""))
        if link is None:
            raise Http404("no such share link, or it expired or was revoked")
        return link

    @extend_schema(summary="The read-only snapshot a share link shows", responses={200: OpenApiTypes.OBJECT, 404: GONE})
    def retrieve(self, request: Request, token: str) -> Response:
        return Response(share_snapshot(self._link(token, "snapshot")))

    @extend_schema(summary="One node's file diffs through a review's share link", parameters=[NODE_PARAMETER],
                   responses={200: OpenApiTypes.OBJECT, 404: GONE})
    def node(self, request: Request, token: str) -> Response:
        link = self._link(token, "node")
        name = request.query_params.get("node", "")
        detail = None
        if link.review is not None and len(name) <= 64:
            detail = node_review(review_diff(link.review.base, link.review.head), name)
        if detail is None:
            raise Http404(f"the change leaves node '{name}' alone")
        return Response(detail)

    @extend_schema(summary="Comment through a comment-scope share link to a review", request=GuestCommentSerializer,
                   responses={201: OpenApiTypes.OBJECT, 400: BAD_INPUT, 403: OpenApiResponse(
                       description="a view-scope link, or a link to a revision"), 404: GONE})
    def comment(self, request: Request, token: str) -> Response:
        link = self._link(token, "comment")
        if link.scope != ShareScope.COMMENT or link.review is None:
            raise PermissionDenied("this link lets you view, not comment")
        payload = GuestCommentSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        thread = thread_start(review=link.review, author=None, kind=data["kind"], anchor=data["anchor"],
                              body=data["body"], guest=data["name"])
        return Response({"thread": thread.pk}, status=status.HTTP_201_CREATED)
