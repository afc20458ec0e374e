"""The Django admin for reviews: policies and scopes are edited here too; history is read-only."""

from django.contrib import admin

from .models import GateOverride, Review, ReviewEvent, ReviewPolicy, ReviewScope, ReviewVerdict, ShareLink


class ReadOnly(admin.ModelAdmin):
    """History that people must be able to trust: shown, never changed or deleted here."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "design", "state", "author", "created"]
    list_filter = ["state"]
    list_select_related = ["design", "author"]
    readonly_fields = ["design", "author", "base", "head", "acknowledged_head", "created", "updated"]
    search_fields = ["title", "design__name"]


@admin.register(ReviewPolicy)
class ReviewPolicyAdmin(admin.ModelAdmin):
    list_display = ["design", "required_approvals", "gate_exports"]
    raw_id_fields = ["design"]


@admin.register(ReviewScope)
class ReviewScopeAdmin(admin.ModelAdmin):
    list_display = ["name", "design"]
    raw_id_fields = ["design"]
    filter_horizontal = ["members"]


@admin.register(ReviewVerdict)
class ReviewVerdictAdmin(ReadOnly):
    list_display = ["review", "reviewer", "verdict", "head", "manifest", "created"]
    list_select_related = ["review", "reviewer", "head"]


@admin.register(ReviewEvent)
class ReviewEventAdmin(ReadOnly):
    list_display = ["created", "design", "kind", "actor", "message"]
    list_filter = ["kind"]
    list_select_related = ["design", "actor"]


@admin.register(GateOverride)
class GateOverrideAdmin(ReadOnly):
    list_display = ["created", "design", "revision", "purpose", "by", "reason"]
    list_select_related = ["design", "revision", "by"]


@admin.register(ShareLink)
class ShareLinkAdmin(ReadOnly):
    """Only a hash of each token is stored, so no link can be opened from here."""

    list_display = ["id", "design", "review", "revision", "scope", "created_by", "expires", "revoked"]
    list_select_related = ["design", "review", "revision", "created_by"]
    exclude = ["token_hash"]
