"""Push: how to reach each node of a design (inventory, pinned host keys), the design's deploy key, push
runs with each node's state, and the append-only audit of everything push did and who asked for it."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .fields import SealedJSONField


class PushRunKind(models.TextChoices):
    PUSH = "push", "push"
    ROLLBACK = "rollback", "roll back"
    DRIFT = "drift", "drift check"


class PushRunStatus(models.TextChoices):
    PLANNING = "planning", "plan phase running"
    PLANNED = "planned", "plan ready: awaiting confirmation"
    PUSHING = "pushing", "pushing wave by wave"
    FINISHED = "finished", "finished"
    STOPPED = "stopped", "stopped"
    FAILED = "failed", "failed"
    CANCELLED = "cancelled", "plan not confirmed"


class NodeAccess(models.Model):
    """Where one node's SSH server listens and who push logs in as; its host keys are ``HostKey`` rows."""

    design = models.ForeignKey("Design", on_delete=models.CASCADE, related_name="node_access")
    node = models.CharField(max_length=64, help_text="a managed device's name")
    address = models.CharField(max_length=253, help_text="the management address or host name")
    port = models.PositiveIntegerField(default=22)
    user = models.CharField(max_length=64, default="root")
    bastion = models.CharField(max_length=64, blank=True, help_text="a bastion's name; empty: reached directly")
    is_bastion = models.BooleanField(default=False, help_text="this row is a bastion, not a node")

    class Meta:
        ordering = ["design_id", "is_bastion", "node"]
        constraints = [models.UniqueConstraint(fields=["design", "node", "is_bastion"], name="one_access_per_host")]

    def __str__(self) -> str:
        return f"{self.node} at {self.user}@{self.address}:{self.port}"


class HostKey(models.Model):
    """A host key a node (or bastion) may present; pinned by a person, never accepted on first sight."""

    access = models.ForeignKey(NodeAccess, on_delete=models.CASCADE, related_name="host_keys")
    key = models.TextField(help_text="the OpenSSH public key line")
    fingerprint = models.CharField(max_length=64)
    pinned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    pinned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["access_id", "pinned_at", "id"]

    def __str__(self) -> str:
        return f"{self.fingerprint} of {self.access.node}"


class DeployKey(models.Model):
    """The design's ed25519 deploy key: the private half sealed at rest and shown to nobody."""

    design = models.OneToOneField("Design", on_delete=models.CASCADE, related_name="deploy_key")
    public = models.TextField()
    fingerprint = models.CharField(max_length=64)
    sealed = SealedJSONField(help_text='{"private": "<OpenSSH private key>"}')
    push_from = models.JSONField(default=list, blank=True,
                                 help_text="addresses push connects from: the key's from= restriction")
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    def __str__(self) -> str:
        return f"deploy key {self.fingerprint} of design {self.design_id}"


class PushRun(models.Model):
    """One push (or roll back, or drift check) of a revision to a design's nodes: plan phase, then waves."""

    design = models.ForeignKey("Design", on_delete=models.CASCADE, related_name="push_runs")
    # A revision pushed stays while its runs do, unless its whole design is deleted with them.
    revision = models.ForeignKey("Revision", on_delete=models.RESTRICT, related_name="push_runs")
    kind = models.CharField(max_length=16, choices=PushRunKind.choices, default=PushRunKind.PUSH)
    rollback_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=16, choices=PushRunStatus.choices, default=PushRunStatus.PLANNING)
    manifest_hash = models.CharField(max_length=64, blank=True, help_text="sha256 of the bundle's manifest.json")
    rules = models.JSONField(default=dict, blank=True, help_text="rack_share, max_wave_size, failure_threshold")
    timing = models.JSONField(default=dict, blank=True, help_text="confirm_timeout and health_wait, in seconds")
    waves = models.JSONField(default=list, blank=True)
    skipped = models.JSONField(default=list, blank=True)
    log = models.JSONField(default=list, blank=True)
    outcome = models.TextField(blank=True, help_text="how the run ended, or why it cannot go on")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    stop_requested = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)
    # The lease: the worker driving the run renews it; a redelivered task waits until it lapses.
    lease_owner = models.CharField(max_length=100, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} run {self.pk} of revision {self.revision_id} ({self.status})"

    @property
    def node_run_id(self) -> str:
        """The run's name on the nodes (``apply.sh --run``), the same for every attempt of this run."""
        return f"weft-{self.pk}"


class NodeRun(models.Model):
    """One node in one run: its state, the plan phase's diff and health baseline, and what became of it."""

    run = models.ForeignKey(PushRun, on_delete=models.CASCADE, related_name="nodes")
    node = models.CharField(max_length=64)
    state = models.CharField(max_length=16, default="pending")
    detail = models.TextField(blank=True)
    wave = models.PositiveIntegerField(null=True, blank=True)
    manifest = models.CharField(max_length=64, blank=True, help_text="the target: sha256 of the node's apply.json")
    running = models.CharField(max_length=64, blank=True, help_text="the manifest the node ran in the plan phase")
    disruption = models.CharField(max_length=32, blank=True)
    diff = models.JSONField(default=dict, blank=True)
    refusals = models.JSONField(default=list, blank=True)
    baseline = models.JSONField(null=True, blank=True)
    health = models.JSONField(null=True, blank=True)
    apply_sent = models.BooleanField(default=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["run_id", "node"]
        constraints = [models.UniqueConstraint(fields=["run", "node"], name="one_state_per_node_and_run")]

    def __str__(self) -> str:
        return f"{self.node} in run {self.run_id}: {self.state}"


class AuditAction(models.TextChoices):
    PLAN = "plan", "plan phase started"
    CONFIRM = "confirm", "plan confirmed: push started"
    CANCEL = "cancel", "plan not confirmed"
    STOP = "stop", "stop requested"
    FINISH = "finish", "run ended"
    ROLLBACK = "rollback", "roll back started"
    DRIFT = "drift", "drift check"
    HOST_KEY_PIN = "host-key-pin", "host key pinned"
    HOST_KEY_REPIN = "host-key-repin", "host key re-pinned"
    DEPLOY_KEY_CREATE = "deploy-key-create", "deploy key created"
    DEPLOY_KEY_ROTATE = "deploy-key-rotate", "deploy key rotated"
    INVENTORY = "inventory", "inventory changed"


class AuditRefused(Exception):
    """The audit is append-only: an event is never changed or deleted."""


class AuditEvent(models.Model):
    """Who did what to which nodes, when, with which revision and manifest. Written once, never changed."""

    design = models.ForeignKey("Design", on_delete=models.CASCADE, related_name="audit_events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=24, choices=AuditAction.choices)
    run = models.ForeignKey(PushRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit")
    revision = models.ForeignKey("Revision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    manifest_hash = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True, help_text="per-node results, fingerprints, reasons")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.action} on design {self.design_id} by {self.actor_id}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AuditRefused("audit events are written once and never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditRefused("audit events are never deleted (they go only with their design)")
