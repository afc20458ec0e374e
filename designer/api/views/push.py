"""Push: the inventory and identities of a design's nodes, push runs (plan, confirm, stop, roll back),
drift checks and the audit. Owners and editors push; owners manage identities; every member watches."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from designer.fabric.yaml_read import parse_yaml
from designer.models import AuditEvent, DeployKey, NodeAccess, PushRun
from designer.push.audit import audit_entry
from designer.push.identity import (
    bootstrap_lines,
    deploy_key_rotate,
    host_key_fetch,
    host_key_pin,
    inventory_of,
    inventory_update,
    managed_nodes,
)
from designer.push.runs import (
    drift_start,
    push_confirm,
    push_plan_start,
    push_rollback_start,
    push_stop,
)
from designer.services.access import EXPORT, MANAGE, READ

from ..parsers import ApplicationYamlParser, JsonParser, YamlTextParser
from ..permissions import DesignScoped
from ..push_serializers import (
    AuditEventSerializer,
    HostKeyFetchSerializer,
    HostKeyPinSerializer,
    HostKeySerializer,
    InventorySerializer,
    PushRunCreateSerializer,
    PushRunSerializer,
    PushSetupSerializer,
)
from .designs import BAD_INPUT

REFUSED = OpenApiResponse(description="the run cannot do that in its present state: ``detail`` says why")
DISPATCHER_FILE = "designer/push/node/dispatch.py"


class PushRunViewSet(DesignScoped, viewsets.GenericViewSet):
    """Push runs of a design: each starts with a read-only plan phase that a person confirms."""

    lookup_value_converter = "int"
    serializer_class = PushRunSerializer
    required_roles = {"list": READ, "retrieve": READ, "create": EXPORT, "confirm": EXPORT, "stop": EXPORT,
                      "rollback": EXPORT, "drift": EXPORT}

    def get_queryset(self):
        return PushRun.objects.filter(design=self.design()).select_related("revision", "started_by", "confirmed_by")

    def _run(self, pk: int) -> PushRun:
        return get_object_or_404(self.get_queryset(), pk=pk)

    @extend_schema(summary="The design's push runs and drift checks, newest first")
    def list(self, request: Request, design_pk: int) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(PushRunSerializer(page, many=True).data)

    @extend_schema(summary="A push run: its waves, each node's state, diff and health, and its log")
    def retrieve(self, request: Request, design_pk: int, pk: int) -> Response:
        return Response(PushRunSerializer(self._run(pk)).data)

    @extend_schema(summary="Start the plan phase of a push: stage, check and diff on every node; nothing applied",
                   request=PushRunCreateSerializer, responses={202: PushRunSerializer, 400: BAD_INPUT, 409: REFUSED})
    def create(self, request: Request, design_pk: int) -> Response:
        design = self.design()
        payload = PushRunCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        revision_id = payload.validated_data["revision"]
        revision = design.current_revision if revision_id is None else self.revision(revision_id, field="revision")
        run = push_plan_start(design=design, revision=revision, user=request.user,
                              rules=payload.validated_data["rules"], timing=payload.validated_data["timing"])
        return Response(PushRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(summary="Confirm the plan: the waves start", request=None,
                   responses={202: PushRunSerializer, 409: REFUSED})
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, design_pk: int, pk: int) -> Response:
        run = push_confirm(run=self._run(pk), user=request.user)
        return Response(PushRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(summary="Stop after the nodes in flight are confirmed or restored; cancel a plan",
                   request=None, responses={200: PushRunSerializer, 409: REFUSED})
    @action(detail=True, methods=["post"])
    def stop(self, request: Request, design_pk: int, pk: int) -> Response:
        return Response(PushRunSerializer(push_stop(run=self._run(pk), user=request.user)).data)

    @extend_schema(summary="Roll back: plan a push of the revision the nodes had before this run",
                   request=None, responses={202: PushRunSerializer, 409: REFUSED})
    @action(detail=True, methods=["post"])
    def rollback(self, request: Request, design_pk: int, pk: int) -> Response:
        run = push_rollback_start(run=self._run(pk), user=request.user)
        return Response(PushRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(summary="Check drift: every node against the revision last pushed (read-only)", request=None,
                   responses={202: PushRunSerializer, 400: BAD_INPUT, 409: REFUSED})
    @action(detail=False, methods=["post"])
    def drift(self, request: Request, design_pk: int) -> Response:
        run = drift_start(design=self.design(), user=request.user)
        return Response(PushRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class PushSetupViewSet(DesignScoped, viewsets.GenericViewSet):
    """How push reaches a design's nodes: the inventory, pinned host keys, the deploy key, the bootstrap."""

    serializer_class = PushSetupSerializer
    required_roles = {"setup": READ, "inventory": MANAGE, "host_key_fetch": MANAGE, "host_key_pin": MANAGE,
                      "deploy_key_rotate": MANAGE, "dispatcher": READ, "audit": READ}

    @extend_schema(summary="The inventory, the deploy key's public half and authorized_keys lines, pinned host keys",
                   responses={200: PushSetupSerializer})
    @action(detail=False, methods=["get"], url_path="setup")
    def setup(self, request: Request, design_pk: int) -> Response:
        return Response(self._setup())

    def _setup(self) -> dict:
        design = self.design()
        inventory = inventory_of(design)
        deploy = DeployKey.objects.filter(design=design).first()  # made by the first inventory or push
        host_keys = {(f"bastion {row.node}" if row.is_bastion else row.node):
                     [key.fingerprint for key in row.host_keys.all()]
                     for row in NodeAccess.objects.filter(design=design).prefetch_related("host_keys")}
        data = inventory.model_dump(exclude={"bastions": {"__all__": {"host_keys"}},
                                             "nodes": {"__all__": {"host_keys"}}})
        return {"inventory": data,
                "deploy_key": {"public": deploy.public, "fingerprint": deploy.fingerprint} if deploy else None,
                "authorized_keys": bootstrap_lines(deploy, inventory) if deploy else {}, "host_keys": host_keys,
                "missing": inventory.missing(managed_nodes(design.current_revision))}

    @extend_schema(summary="Replace the inventory (owners); host keys are pinned one by one, not here",
                   request={"application/json": InventorySerializer, "text/yaml": str, "application/yaml": str},
                   responses={200: PushSetupSerializer, 400: BAD_INPUT})
    @action(detail=False, methods=["put"], url_path="inventory",
            parser_classes=[JsonParser, YamlTextParser, ApplicationYamlParser])
    def inventory(self, request: Request, design_pk: int) -> Response:
        data = request.data
        if isinstance(data, bytes):  # the inventory file as people write it
            data = parse_yaml(data.decode("utf-8", errors="replace"), source="inventory")
        inventory_update(design=self.design(), data=data, user=request.user)
        return Response(self._setup())

    @extend_schema(summary="Fetch the host key a node presents now, to compare and confirm (nothing is pinned)",
                   request=HostKeyFetchSerializer, responses={200: HostKeySerializer, 400: BAD_INPUT})
    @action(detail=False, methods=["post"], url_path="host-keys/fetch")
    def host_key_fetch(self, request: Request, design_pk: int) -> Response:
        payload = HostKeyFetchSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return Response(host_key_fetch(design=self.design(), **payload.validated_data))

    @extend_schema(summary="Pin a node's host key: the fingerprint you confirmed, or the key line (owners)",
                   request=HostKeyPinSerializer, responses={201: HostKeySerializer, 400: BAD_INPUT})
    @action(detail=False, methods=["post"], url_path="host-keys")
    def host_key_pin(self, request: Request, design_pk: int) -> Response:
        payload = HostKeyPinSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        pinned = host_key_pin(design=self.design(), node=data["node"], user=request.user,
                              fingerprint_seen=data["fingerprint"], key=data["key"], replace=data["replace"],
                              bastion=data["bastion"])
        return Response({"node": data["node"], "key": pinned.key, "fingerprint": pinned.fingerprint},
                        status=status.HTTP_201_CREATED)

    @extend_schema(summary="Replace the deploy key (owners); install the new authorized_keys line on every node",
                   request=None, responses={200: PushSetupSerializer})
    @action(detail=False, methods=["post"], url_path="deploy-key/rotate")
    def deploy_key_rotate(self, request: Request, design_pk: int) -> Response:
        deploy_key_rotate(design=self.design(), user=request.user)
        return Response(self._setup())

    @extend_schema(summary="The node-side dispatcher the deploy key's forced command runs (install it once)",
                   responses={(200, "text/x-python"): OpenApiTypes.STR})
    @action(detail=False, methods=["get"], url_path="dispatcher")
    def dispatcher(self, request: Request, design_pk: int) -> HttpResponse:
        self.design()
        from django.conf import settings

        text = (settings.BASE_DIR / DISPATCHER_FILE).read_text(encoding="utf-8")
        return HttpResponse(text, content_type="text/x-python")

    @extend_schema(summary="The push audit of the design: every plan, confirmation, stop, end, roll back and pin",
                   responses={200: AuditEventSerializer(many=True)})
    @action(detail=False, methods=["get"], url_path="audit")
    def audit(self, request: Request, design_pk: int) -> Response:
        events = AuditEvent.objects.filter(design=self.design()).select_related("actor")
        page = self.paginate_queryset(events)
        return self.get_paginated_response([audit_entry(event) for event in page])
