"""Serializers of the push endpoints: thin shapes in and out; ``designer.push`` decides everything else."""

from __future__ import annotations

from rest_framework import serializers

from designer.push.runs import run_state
from designer.push.states import NodeState


class PushRunCreateSerializer(serializers.Serializer):
    revision = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                        help_text="a revision id of this design; the current one when left out")
    rules = serializers.DictField(required=False, default=dict, help_text=(
        "only stricter than the design's own: rack_share (at most 0.5), max_wave_size, failure_threshold"))
    timing = serializers.DictField(required=False, default=dict, help_text=(
        "confirm_timeout (seconds the node waits for confirmation), health_wait (seconds health may take)"))


class NodeRunSerializer(serializers.Serializer):
    node = serializers.CharField()
    state = serializers.ChoiceField(choices=[s.value for s in NodeState])
    meaning = serializers.CharField()
    detail = serializers.CharField()
    wave = serializers.IntegerField(allow_null=True)
    manifest = serializers.CharField(help_text="the target: sha256 of the node's apply.json")
    running = serializers.CharField(allow_null=True, help_text="the manifest the node ran in the plan phase")
    disruption = serializers.CharField()
    diff = serializers.DictField(help_text="apply.sh --diff --json of the node: files, FRR delta, refusals")
    refusals = serializers.ListField(child=serializers.CharField())
    baseline = serializers.DictField(allow_null=True, help_text="health in the plan phase")
    health = serializers.DictField(allow_null=True, help_text="health after the apply")
    drift = serializers.DictField(required=False, help_text="drift checks only: what differs from the push")


class PushRunSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    design = serializers.IntegerField()
    revision = serializers.IntegerField()
    revision_number = serializers.IntegerField()
    kind = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    manifest_hash = serializers.CharField()
    rules = serializers.DictField()
    timing = serializers.DictField()
    waves = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))
    skipped = serializers.ListField(child=serializers.CharField())
    outcome = serializers.CharField()
    stop_requested = serializers.BooleanField()
    started_by = serializers.CharField(allow_null=True)
    confirmed_by = serializers.CharField(allow_null=True)
    created = serializers.DateTimeField()
    finished = serializers.DateTimeField(allow_null=True)
    rollback_of = serializers.IntegerField(allow_null=True)
    log = serializers.ListField(child=serializers.CharField())
    worker_lost = serializers.BooleanField(help_text="the worker driving the run stopped answering; the next "
                                                     "worker to start takes the run up where it stopped")
    nodes = NodeRunSerializer(many=True)

    def to_representation(self, run) -> dict:
        return run_state(run)


class InventorySerializer(serializers.Serializer):
    push_from = serializers.ListField(child=serializers.CharField(), required=False, default=list,
                                      help_text="addresses push connects from (the deploy key's from= option)")
    bastions = serializers.DictField(child=serializers.DictField(), required=False, default=dict)
    nodes = serializers.DictField(child=serializers.DictField(), required=False, default=dict,
                                  help_text="node -> {address, port, user, bastion}")


class PushSetupSerializer(serializers.Serializer):
    inventory = InventorySerializer()
    deploy_key = serializers.DictField(allow_null=True, help_text="the public half, its fingerprint; never the "
                                                                  "private half")
    authorized_keys = serializers.DictField(child=serializers.CharField(),
                                            help_text="the lines to install once, on every node and bastion")
    host_keys = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                      help_text="host -> pinned fingerprints")
    missing = serializers.ListField(child=serializers.CharField(),
                                    help_text="managed nodes the inventory does not say how to reach")


class HostKeyFetchSerializer(serializers.Serializer):
    node = serializers.CharField(max_length=64)
    bastion = serializers.BooleanField(required=False, default=False)


class HostKeyPinSerializer(HostKeyFetchSerializer):
    fingerprint = serializers.CharField(required=False, allow_blank=True, default="",
                                        help_text="the SHA256 fingerprint you confirmed on the node's console")
    key = serializers.CharField(required=False, allow_blank=True, default="",
                                help_text="or the host's public key line, pasted from the node")
    replace = serializers.BooleanField(required=False, default=False,
                                       help_text="re-pin: replace the keys pinned now (an audited act)")


class HostKeySerializer(serializers.Serializer):
    node = serializers.CharField()
    key = serializers.CharField()
    fingerprint = serializers.CharField()


class AuditEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    action = serializers.CharField()
    actor = serializers.CharField(allow_null=True)
    run = serializers.IntegerField(allow_null=True)
    revision = serializers.IntegerField(allow_null=True)
    manifest_hash = serializers.CharField()
    detail = serializers.DictField()
    created = serializers.DateTimeField()
