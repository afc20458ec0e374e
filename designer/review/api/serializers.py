"""Serializers of the review API: thin shapes in and out; the review services decide everything else."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from designer.api.serializers import KnownFieldsOnly
from designer.review.choices import Anchor, Purpose, ReviewState, ShareScope, Verdict
from designer.review.markdown import render_markdown
from designer.review.models import Comment, LabRun, Review, ReviewEvent, ReviewPolicy, ReviewScope, ShareLink
from designer.review.services.shares import MAX_DAYS, SHARE_STATES, share_state


def _username() -> serializers.CharField:
    return serializers.CharField(max_length=150)


class ReviewSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    reviewers = serializers.SlugRelatedField(slug_field="username", read_only=True, many=True)
    base_number = serializers.IntegerField(source="base.number", read_only=True)
    head_number = serializers.IntegerField(source="head.number", read_only=True)

    class Meta:
        model = Review
        fields = ["id", "design", "title", "description", "author", "reviewers", "base", "base_number", "head",
                  "head_number", "state", "acknowledged_head", "created", "updated"]
        read_only_fields = fields


class ReviewCreateSerializer(KnownFieldsOnly, serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=20_000)
    reviewers = serializers.ListField(child=_username(), required=False, default=list, max_length=50)
    base = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                    help_text="a revision id; by default the one last pushed, else the head's parent")
    head = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                    help_text="a revision id; by default the current one")
    draft = serializers.BooleanField(required=False, default=False)


class ReviewUpdateSerializer(KnownFieldsOnly, serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    reviewers = serializers.ListField(child=_username(), required=False, max_length=50)
    state = serializers.ChoiceField(choices=ReviewState.choices, required=False,
                                    help_text="draft, open or closed; the others follow verdicts and pushes")


class VerdictStandingSerializer(serializers.Serializer):
    reviewer = serializers.CharField()
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    valid = serializers.BooleanField()
    reason = serializers.CharField(allow_blank=True)
    manifest = serializers.CharField()


class ReviewStatusSerializer(serializers.Serializer):
    approved = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.CharField())
    valid_approvals = serializers.ListField(child=serializers.CharField())
    touched_scopes = serializers.ListField(child=serializers.CharField())
    authors = serializers.ListField(child=serializers.CharField())
    verdicts = VerdictStandingSerializer(many=True)
    manifest = serializers.CharField()
    content_hash = serializers.CharField()


class ReviewDetailSerializer(ReviewSerializer):
    status = ReviewStatusSerializer(read_only=True)

    class Meta(ReviewSerializer.Meta):
        fields = [*ReviewSerializer.Meta.fields, "status"]
        read_only_fields = fields


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    html = serializers.SerializerMethodField(help_text="the body as Markdown rendered safely")

    class Meta:
        model = Comment
        fields = ["id", "author", "body", "html", "mentions", "created"]
        read_only_fields = fields

    def get_author(self, comment: Comment) -> str:
        return comment.author.username if comment.author_id else f"{comment.guest or 'guest'} (share link)"

    def get_html(self, comment: Comment) -> str:
        return render_markdown(comment.body)


class ThreadSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="thread.id")
    kind = serializers.ChoiceField(source="thread.kind", choices=Anchor.choices)
    anchor = serializers.DictField(source="thread.anchor")
    revision = serializers.IntegerField(source="thread.revision_id")
    resolved = serializers.BooleanField(source="thread.resolved")
    outdated = serializers.BooleanField(help_text="a line thread whose line is gone from the current diff")
    line = serializers.IntegerField(allow_null=True, help_text="where a line thread stands at the current head")
    comments = CommentSerializer(source="thread.comments.all", many=True)


class ThreadCreateSerializer(KnownFieldsOnly, serializers.Serializer):
    kind = serializers.ChoiceField(choices=Anchor.choices)
    anchor = serializers.DictField(required=False, default=dict,
                                   help_text="element: {element}; node: {node}; line: {node, path, side, line}; "
                                             "plan_row: {table, key}; review: {}")
    body = serializers.CharField(max_length=20_000)


class CommentCreateSerializer(KnownFieldsOnly, serializers.Serializer):
    body = serializers.CharField(max_length=20_000)


class GuestCommentSerializer(ThreadCreateSerializer):
    name = serializers.CharField(max_length=80, help_text="how the comment is signed")


class ThreadUpdateSerializer(KnownFieldsOnly, serializers.Serializer):
    resolved = serializers.BooleanField()


class VerdictCreateSerializer(KnownFieldsOnly, serializers.Serializer):
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    body = serializers.CharField(required=False, allow_blank=True, default="", max_length=20_000)


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ReviewEvent
        fields = ["id", "kind", "review", "actor", "message", "data", "created"]
        read_only_fields = fields


class LabRunSerializer(serializers.ModelSerializer):
    started_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    head_number = serializers.IntegerField(source="head.number", read_only=True)
    report = serializers.JSONField(allow_null=True, read_only=True,
                                   help_text="the lab's report: checks with their verdicts and evidence")

    class Meta:
        model = LabRun
        fields = ["id", "head", "head_number", "status", "report", "error", "started_by", "created", "finished"]
        read_only_fields = fields


class PolicySerializer(KnownFieldsOnly, serializers.ModelSerializer):
    required_approvals = serializers.IntegerField(min_value=0, max_value=20)

    class Meta:
        model = ReviewPolicy
        fields = ["required_approvals", "gate_exports"]


class ScopeSerializer(KnownFieldsOnly, serializers.ModelSerializer):
    paths = serializers.ListField(child=serializers.CharField(max_length=200), required=False, default=list,
                                  max_length=50)
    kinds = serializers.ListField(child=serializers.CharField(max_length=32), required=False, default=list,
                                  max_length=10)
    members = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)
    member_names = serializers.ListField(child=_username(), write_only=True, required=False, default=list,
                                         max_length=50, help_text="the usernames who own the scope")

    class Meta:
        model = ReviewScope
        fields = ["id", "name", "paths", "kinds", "members", "member_names"]
        read_only_fields = ["id", "members"]


class ShareCreateSerializer(KnownFieldsOnly, serializers.Serializer):
    review = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    revision = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    scope = serializers.ChoiceField(choices=ShareScope.choices, default=ShareScope.VIEW)
    days = serializers.IntegerField(min_value=1, max_value=MAX_DAYS, default=7)
    label = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class ShareSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    state = serializers.SerializerMethodField()
    openings = serializers.IntegerField(source="openings.count", read_only=True)

    class Meta:
        model = ShareLink
        fields = ["id", "review", "revision", "scope", "label", "created_by", "created", "expires", "revoked",
                  "state", "openings"]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=SHARE_STATES))
    def get_state(self, link: ShareLink) -> str:
        return share_state(link)


class ShareCreatedSerializer(ShareSerializer):
    token = serializers.CharField(read_only=True, help_text="shown this once: only its hash is stored")
    url = serializers.CharField(read_only=True)

    class Meta(ShareSerializer.Meta):
        fields = [*ShareSerializer.Meta.fields, "token", "url"]
        read_only_fields = fields


class GateSerializer(serializers.Serializer):
    open = serializers.BooleanField()
    reason = serializers.CharField()
    review = serializers.IntegerField(allow_null=True)
    override = serializers.IntegerField(allow_null=True)
    manifest = serializers.CharField()


class BreakGlassSerializer(KnownFieldsOnly, serializers.Serializer):
    revision = serializers.IntegerField(min_value=1)
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    reason = serializers.CharField(max_length=2000)
