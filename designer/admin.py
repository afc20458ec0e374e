"""The Django admin for designs, memberships and jobs; documents are read-only, allocations never shown."""

from django.contrib import admin

from .models import ApiToken, Design, Export, Job, Membership, Revision


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Design)
class DesignAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "owner", "current_revision", "updated"]
    search_fields = ["name", "slug", "description"]
    list_select_related = ["owner", "current_revision"]
    readonly_fields = ["current_revision", "created", "updated"]
    raw_id_fields = ["owner"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("current_revision__document")

    def get_deleted_objects(self, objs, request):
        # Revisions cannot be deleted on their own (a design would lose its current one), but they go
        # with their design.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, perms_needed - {Revision._meta.verbose_name}, protected


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    """Revisions are immutable: the admin shows them and never changes or deletes them."""

    list_display = ["design", "number", "author", "message", "created"]
    list_select_related = ["design", "author"]
    search_fields = ["design__name", "message"]
    readonly_fields = ["design", "number", "parent", "author", "message", "document", "content_hash", "created"]

    def get_queryset(self, request):
        # The list never shows documents, and the change page reads its one when it shows it.
        return super().get_queryset(request).defer("document")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["design", "user", "role", "created"]
    list_filter = ["role"]
    list_select_related = ["design", "user"]
    autocomplete_fields = ["user"]
    raw_id_fields = ["design"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "design", "status", "progress", "started_by", "created", "finished"]
    list_filter = ["kind", "status"]
    list_select_related = ["design", "started_by"]
    readonly_fields = ["kind", "design", "status", "progress", "log", "result", "error", "started_by", "created",
                       "started", "finished"]


@admin.register(Export)
class ExportAdmin(admin.ModelAdmin):
    list_display = ["id", "revision", "node", "format", "size", "sha256", "created"]
    list_select_related = ["revision__design"]
    readonly_fields = ["revision", "job", "node", "format", "file", "sha256", "size", "created"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("revision__document")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens by name and owner; deleting one revokes it. The admin neither makes nor shows a token or its hash."""

    list_display = ["name", "user", "created", "expiry"]
    list_select_related = ["user"]
    search_fields = ["name", "user__username"]
    fields = readonly_fields = ["name", "user", "created", "expiry"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
