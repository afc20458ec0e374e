"""Reviews: open and list them, read their diff and status, comment, give verdicts, acknowledge moves."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from designer.api.permissions import DesignScoped
from designer.api.views.designs import BAD_INPUT
from designer.review.models import LabRun, Review, ReviewEvent, Thread
from designer.review.services.approvals import review_acknowledge, review_settle, verdict_submit
from designer.review.services.comments import comment_reply, placed_threads, thread_resolve, thread_start
from designer.review.services.computing import node_review, review_diff
from designer.review.services.labs import lab_start
from designer.review.services.reviews import review_open, review_update

from .access import COMMENT, OPEN, READ, ReviewScoped
from .serializers import (
    CommentCreateSerializer,
    CommentSerializer,
    EventSerializer,
    LabRunSerializer,
    ReviewCreateSerializer,
    ReviewDetailSerializer,
    ReviewSerializer,
    ReviewUpdateSerializer,
    ThreadCreateSerializer,
    ThreadSerializer,
    ThreadUpdateSerializer,
    VerdictCreateSerializer,
)

REFUSED = OpenApiResponse(description="your role does not allow it, or an author approving their own change")
NODE_PARAMETER = OpenApiParameter("node", str, description="a node's name; empty for the design-wide files")


def review_detail(review: Review) -> dict:
    status = review_settle(review)  # the state follows the verdicts at the current head
    data = ReviewSerializer(review).data
    data["status"] = status.as_dict()
    return data


class DesignReviewViewSet(DesignScoped, viewsets.GenericViewSet):
    """The reviews of a design, newest first; an editor opens one."""

    lookup_value_converter = "int"
    serializer_class = ReviewSerializer
    required_roles = {"list": READ, "create": OPEN}

    def get_queryset(self):
        return Review.objects.filter(design=self.design()).select_related("author", "base", "head").prefetch_related(
            "reviewers")

    @extend_schema(summary="The reviews of a design, newest first")
    def list(self, request: Request, design_pk: int) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ReviewSerializer(page, many=True).data)

    @extend_schema(summary="Open a review of a change", request=ReviewCreateSerializer,
                   responses={201: ReviewSerializer, 400: BAD_INPUT})
    def create(self, request: Request, design_pk: int) -> Response:
        design = self.design()
        payload = ReviewCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        base = self.revision(data["base"], field="base") if data["base"] else None
        head = self.revision(data["head"], field="head") if data["head"] else None
        review = review_open(design=design, author=request.user, title=data["title"],
                             description=data["description"], reviewers=data["reviewers"], base=base, head=head,
                             draft=data["draft"])
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class ReviewViewSet(ReviewScoped, viewsets.GenericViewSet):
    """One review: its status at the current head, its diff, per-node file diffs, events."""

    lookup_value_converter = "int"
    serializer_class = ReviewDetailSerializer
    pagination_class = None
    review_lookup = "pk"
    required_roles = {"retrieve": READ, "partial_update": OPEN, "diff": READ, "node": READ, "events": READ,
                      "acknowledge": COMMENT, "verdict": COMMENT, "labs": READ, "lab_start": COMMENT}

    @extend_schema(summary="A review with where it stands at its head")
    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(review_detail(self.review()))

    @extend_schema(summary="Change a review's title, description, reviewers or state (draft, open, closed)",
                   request=ReviewUpdateSerializer, responses={200: ReviewDetailSerializer, 400: BAD_INPUT})
    def partial_update(self, request: Request, pk: int) -> Response:
        review = self.review()
        payload = ReviewUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        review_update(review=review, actor=request.user, **payload.validated_data)
        return Response(review_detail(review))

    @extend_schema(summary="What the change does: nodes with their disruption class, findings introduced and "
                           "resolved, moved allocations, elements of the canvas, plan table rows",
                   responses={200: OpenApiTypes.OBJECT})
    def diff(self, request: Request, pk: int) -> Response:
        review = self.review()
        return Response(review_diff(review.base, review.head).summary)

    @extend_schema(summary="One node's file diffs (unified text and hunks) and FRR's own delta",
                   parameters=[NODE_PARAMETER], responses={200: OpenApiTypes.OBJECT, 404: OpenApiResponse(
                       description="the change leaves that node alone")})
    def node(self, request: Request, pk: int) -> Response:
        review = self.review()
        name = request.query_params.get("node", "")
        detail = node_review(review_diff(review.base, review.head), name) if len(name) <= 64 else None
        if detail is None:
            raise Http404(f"the change leaves node '{name}' alone")
        return Response(detail)

    @extend_schema(summary="What happened on the review, oldest first", responses={200: EventSerializer(many=True)})
    def events(self, request: Request, pk: int) -> Response:
        events = ReviewEvent.objects.filter(review=self.review()).select_related("actor")
        return Response(EventSerializer(events, many=True).data)

    @extend_schema(summary="The lab runs of the review's heads, newest first",
                   responses={200: LabRunSerializer(many=True)})
    def labs(self, request: Request, pk: int) -> Response:
        runs = LabRun.objects.filter(review=self.review()).select_related("head", "started_by")
        return Response(LabRunSerializer(runs, many=True).data)

    @extend_schema(summary="Run fabric lab verify on the head, where the server runs labs", request=None,
                   responses={202: LabRunSerializer, 403: OpenApiResponse(description="this server runs no labs")})
    def lab_start(self, request: Request, pk: int) -> Response:
        run = lab_start(review=self.review(), user=request.user)
        return Response(LabRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(summary="Acknowledge the allocations of existing elements that the head moves", request=None,
                   responses={200: ReviewDetailSerializer})
    def acknowledge(self, request: Request, pk: int) -> Response:
        review = review_acknowledge(review=self.review(), actor=request.user)
        return Response(review_detail(review))

    @extend_schema(summary="Approve the head, or request changes; an approval is bound to the head's bytes",
                   request=VerdictCreateSerializer, responses={201: ReviewDetailSerializer, 400: BAD_INPUT,
                                                               403: REFUSED})
    def verdict(self, request: Request, pk: int) -> Response:
        review = self.review()
        payload = VerdictCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        verdict_submit(review=review, reviewer=request.user, **payload.validated_data)
        return Response(review_detail(review), status=status.HTTP_201_CREATED)


class ThreadViewSet(ReviewScoped, viewsets.GenericViewSet):
    """Comment threads of a review, anchored to it, an element, a node, a line of a node's file or a plan row."""

    lookup_value_converter = "int"
    serializer_class = ThreadSerializer
    pagination_class = None  # a review's threads are read whole: each is placed at the current head
    required_roles = {"list": READ, "create": COMMENT, "partial_update": COMMENT, "reply": COMMENT}

    def _thread(self, pk: int) -> Thread:
        thread = Thread.objects.filter(review=self.review(), pk=pk).first()
        if thread is None:
            raise Http404(f"review {self.review().pk} has no thread {pk}")
        return thread

    def _placed(self, thread: Thread | None = None) -> list[dict]:
        review = self.review()
        placed = placed_threads(review, review_diff(review.base, review.head))
        return [item for item in placed if thread is None or item["thread"].pk == thread.pk]

    @extend_schema(summary="The threads of a review, line threads placed at the current head or outdated",
                   responses={200: ThreadSerializer(many=True)})
    def list(self, request: Request, review_pk: int) -> Response:
        return Response(ThreadSerializer(self._placed(), many=True).data)

    @extend_schema(summary="Start a thread (Markdown; @mentions are told)", request=ThreadCreateSerializer,
                   responses={201: ThreadSerializer, 400: BAD_INPUT})
    def create(self, request: Request, review_pk: int) -> Response:
        payload = ThreadCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        thread = thread_start(review=self.review(), author=request.user, **payload.validated_data)
        return Response(ThreadSerializer(self._placed(thread)[0]).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Resolve or reopen a thread", request=ThreadUpdateSerializer,
                   responses={200: ThreadSerializer, 400: BAD_INPUT})
    def partial_update(self, request: Request, review_pk: int, pk: int) -> Response:
        payload = ThreadUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        thread = thread_resolve(thread=self._thread(pk), actor=request.user, **payload.validated_data)
        return Response(ThreadSerializer(self._placed(thread)[0]).data)

    @extend_schema(summary="Reply to a thread (a resolved thread reopens)", request=CommentCreateSerializer,
                   responses={201: CommentSerializer, 400: BAD_INPUT})
    def reply(self, request: Request, review_pk: int, pk: int) -> Response:
        payload = CommentCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        comment = comment_reply(thread=self._thread(pk), author=request.user, **payload.validated_data)
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)

