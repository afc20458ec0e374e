"""Pages of the designer: sign-in, the design list (create, import), a design's canvas, its plan tables and export."""

from __future__ import annotations

import math

import yaml
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .api.throttling import REFUSAL, sign_in_refused
from .fabric.errors import DesignError
from .forms import DesignCreateForm, DesignImportForm
from .models.choices import ArchiveFormat
from .services.access import EXPORT, MANAGE, WRITE, allows, designs_with_revision
from .services.compiling import revision_compiled
from .services.designs import design_create, design_import
from .services.plans import plan_payload


class SignInPage(auth_views.LoginView):
    """The sign-in form, throttled like the API's sign-in: failures per account and per address."""

    template_name = "designer/login.html"

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.throttles, wait = sign_in_refused(request)
        if wait is not None:
            minutes = max(1, math.ceil(wait / 60))
            response = self.render_to_response(self.get_context_data(
                refused=f"{REFUSAL}; try again in {minutes} minute{'s' if minutes > 1 else ''}"), status=429)
            response["Retry-After"] = str(math.ceil(wait))
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form) -> HttpResponse:
        for throttle in self.throttles:
            throttle.failed()
        return super().form_invalid(form)


@login_required
def design_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request)


@login_required
@require_POST
def design_new(request: HttpRequest) -> HttpResponse:
    form = DesignCreateForm(request.POST)
    if form.is_valid():
        try:
            design = design_create(owner=request.user, **form.cleaned_data)
        except DesignError as exc:
            return _list_page(request, status=400, create_form=form, problems=exc.problems)
        return redirect("designer:design", pk=design.pk)
    return _list_page(request, status=400, create_form=form)


@login_required
@require_POST
def design_upload(request: HttpRequest) -> HttpResponse:
    form = DesignImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            design = design_import(owner=request.user, content=upload.read(), source=upload.name)
        except DesignError as exc:
            return _list_page(request, status=400, import_form=form, problems=exc.problems)
        return redirect("designer:design", pk=design.pk)
    return _list_page(request, status=400, import_form=form)


@login_required
def design_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The canvas: it loads the document and plans it through the API."""
    design, revision = _design_and_revision(request, pk)
    return render(request, "designer/design.html", {
        "design": design, "revision": revision, "canvas": _canvas_config(request, design, revision)})


@login_required
def design_plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The current revision's plan tables and findings, and an export button, with no script needed to read."""
    design, revision = _design_and_revision(request, pk, document=True)
    try:
        plan, problems = plan_payload(revision_compiled(revision)), []
    except DesignError as exc:
        plan, problems = None, exc.problems
    return render(request, "designer/plan.html", {
        "design": design, "revision": revision, "plan": plan, "problems": problems,
        "archive_formats": ArchiveFormat.values, "canvas": _canvas_config(request, design, revision)})


def _list_page(request: HttpRequest, *, status: int = 200, create_form=None, import_form=None,
               problems=()) -> HttpResponse:
    designs = designs_with_revision(request.user)
    return render(request, "designer/index.html", {
        "designs": designs, "create_form": create_form or DesignCreateForm(),
        "import_form": import_form or DesignImportForm(), "problems": problems}, status=status)


def _design_and_revision(request: HttpRequest, pk: int, *, document: bool = False):
    # The canvas page never reads the document (the canvas fetches it); the plan page reads it with the design.
    design = get_object_or_404(designs_with_revision(request.user, document=document), pk=pk)
    if design.current_revision is None:
        raise Http404("the design has no revision")
    return design, design.current_revision


def _canvas_config(request: HttpRequest, design, revision) -> dict:
    """What the canvas and the plan page's export script read: where to call, and what this person may do."""
    return {"design": design.pk, "revision": revision.pk, "role": design.role,
            "can_edit": allows(design.role, WRITE), "can_export": allows(design.role, EXPORT),
            "csrf_token": get_token(request), "api": "/api/", "websocket": "/ws/jobs/",
            "revision_number": revision.number, "design_websocket": f"/ws/designs/{design.pk}/"}


@login_required
def design_push_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Push: the inventory and bootstrap, the plan phase to confirm, the waves live, the log."""
    from .models import DeployKey, PushRun
    from .push.identity import bootstrap_lines, inventory_of, managed_nodes
    from .push.keys import fingerprint

    design, revision = _design_and_revision(request, pk)
    inventory = inventory_of(design)
    deploy = DeployKey.objects.filter(design=design).first()
    host_keys = {name: [fingerprint(key) for key in node.host_keys] for name, node in inventory.nodes.items()}
    setup = {"inventory": inventory.model_dump(), "host_keys": host_keys,
             "missing": inventory.missing(managed_nodes(revision)),
             "deploy_key": {"fingerprint": deploy.fingerprint} if deploy else None,
             "authorized_keys": bootstrap_lines(deploy, inventory) if deploy else {}}
    latest = PushRun.objects.filter(design=design).values_list("pk", flat=True).first()
    can_push = allows(design.role, EXPORT)
    editable = inventory.model_dump(exclude_defaults=True, exclude={"bastions": {"__all__": {"host_keys"}},
                                                                     "nodes": {"__all__": {"host_keys"}}})
    editable.setdefault("nodes", {name: {"address": ""} for name in setup["missing"]})
    return render(request, "designer/push.html", {
        "design": design, "revision": revision, "setup": setup, "can_push": can_push,
        "can_manage": allows(design.role, MANAGE), "inventory_yaml": yaml.safe_dump(editable, sort_keys=False),
        "config": {"design": design.pk, "revision": revision.pk, "revision_number": revision.number,
                   "can_push": can_push, "latest_run": latest, "csrf_token": get_token(request)}})
