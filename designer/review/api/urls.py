"""Routes of the review API, under /api/."""

from django.urls import path

from .policy import CompareViewSet, GateViewSet, ReviewPolicyViewSet, ReviewScopeViewSet
from .shares import SharedViewSet, ShareLinkViewSet
from .views import DesignReviewViewSet, ReviewViewSet, ThreadViewSet

app_name = "review-api"

design = "designs/<int:design_pk>/"
review = "reviews/<int:pk>/"
threads = "reviews/<int:review_pk>/threads/"
shared = "shared/<str:token>/"

urlpatterns = [
    path(f"{design}reviews/", DesignReviewViewSet.as_view({"get": "list", "post": "create"}), name="design-reviews"),
    path(f"{design}review-policy/", ReviewPolicyViewSet.as_view({"get": "retrieve", "put": "update"}),
         name="review-policy"),
    path(f"{design}review-scopes/", ReviewScopeViewSet.as_view({"get": "list", "post": "create"}),
         name="review-scopes"),
    path(f"{design}review-scopes/<int:pk>/", ReviewScopeViewSet.as_view({"delete": "destroy"}), name="review-scope"),
    path(f"{design}compare/", CompareViewSet.as_view({"get": "retrieve"}), name="compare"),
    path(f"{design}gate/", GateViewSet.as_view({"get": "retrieve"}), name="gate"),
    path(f"{design}gate/break-glass/", GateViewSet.as_view({"post": "break_glass"}), name="gate-break-glass"),
    path(f"{design}shares/", ShareLinkViewSet.as_view({"get": "list", "post": "create"}), name="shares"),
    path(f"{design}shares/<int:pk>/", ShareLinkViewSet.as_view({"delete": "destroy"}), name="share"),
    path(review, ReviewViewSet.as_view({"get": "retrieve", "patch": "partial_update"}), name="review"),
    path(f"{review}diff/", ReviewViewSet.as_view({"get": "diff"}), name="review-diff"),
    path(f"{review}node/", ReviewViewSet.as_view({"get": "node"}), name="review-node"),
    path(f"{review}events/", ReviewViewSet.as_view({"get": "events"}), name="review-events"),
    path(f"{review}acknowledge/", ReviewViewSet.as_view({"post": "acknowledge"}), name="review-acknowledge"),
    path(f"{review}lab/", ReviewViewSet.as_view({"get": "labs", "post": "lab_start"}), name="review-lab"),
    path(f"{review}verdicts/", ReviewViewSet.as_view({"post": "verdict"}), name="review-verdicts"),
    path(threads, ThreadViewSet.as_view({"get": "list", "post": "create"}), name="threads"),
    path(f"{threads}<int:pk>/", ThreadViewSet.as_view({"patch": "partial_update"}), name="thread"),
    path(f"{threads}<int:pk>/comments/", ThreadViewSet.as_view({"post": "reply"}), name="thread-comments"),
    path(shared, SharedViewSet.as_view({"get": "retrieve"}), name="shared"),
    path(f"{shared}node/", SharedViewSet.as_view({"get": "node"}), name="shared-node"),
    path(f"{shared}comments/", SharedViewSet.as_view({"post": "comment"}), name="shared-comments"),
]
