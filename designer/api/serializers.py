"""Serializers of the API: thin shapes in and out; the services decide everything else."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from designer.models import ApiToken, Design, Job, Membership, Revision
from designer.models.choices import ArchiveFormat, Role
from designer.services.jobs import job_state_now
from designer.services.tokens import MAX_TOKEN_DAYS

from .fields import Boolean, DocumentField, Integer, NameField, RecordField, Slug, Text, json_type_error
from .schema import DOCUMENT_REF

UNKNOWN_FIELD = "unknown field; remove it or check its spelling"


class KnownFieldsOnly:
    """A request body's keys are its fields, each holding a value of its field's JSON type (``5`` is no text,
    ``0`` no switch, as the schema says): any other key or type is an error naming it."""

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            unknown = sorted(set(data.keys()) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(dict.fromkeys(unknown, UNKNOWN_FIELD))
        if isinstance(data, dict):  # a JSON body (a form's values are all text)
            wrong = {name: error for name, value in data.items() if (error := _type_error(self.fields[name], value))}
            if wrong:
                raise serializers.ValidationError(wrong)
        return super().to_internal_value(data)


def _type_error(field: serializers.Field, value) -> str | None:
    if field.read_only:
        return None
    error = json_type_error(field, value)
    if error is None and isinstance(field, serializers.ListField) and isinstance(value, list):
        error = next((f"item {i} {why}" for i, item in enumerate(value)
                      if (why := json_type_error(field.child, item))), None)
    return error


class RevisionSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Revision
        fields = ["id", "number", "parent", "author", "message", "content_hash", "created"]
        read_only_fields = fields


class RevisionDetailSerializer(RevisionSerializer):
    document = DocumentField(read_only=True)

    class Meta(RevisionSerializer.Meta):
        fields = [*RevisionSerializer.Meta.fields, "document"]
        read_only_fields = fields


class RevisionQuerySerializer(serializers.Serializer):
    """The query of a GET that reads one revision of a design."""

    revision = serializers.IntegerField(min_value=1, required=False,
                                        help_text="a revision id of this design; the current one when left out")


class DiagramQuerySerializer(RevisionQuerySerializer):
    vni = serializers.IntegerField(min_value=1, max_value=16777215, required=False,
                                   help_text="narrow the overlay to one VNI")
    vrf = serializers.CharField(max_length=64, required=False, allow_blank=True,
                                help_text="narrow the overlay to one VRF; empty is none")


class RevisionCreateSerializer(KnownFieldsOnly, serializers.Serializer):
    document = DocumentField()
    message = Text(max_length=500, required=False, allow_blank=True, default="")
    base_revision = Integer(allow_null=True, min_value=1,
                                             help_text="the id of the revision this edit started from")


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current_revision = RevisionDetailSerializer()


class DesignSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)
    role = serializers.ChoiceField(choices=Role.choices, read_only=True, help_text="your role on this design")

    class Meta:
        model = Design
        fields = ["id", "name", "slug", "description", "owner", "role", "current_revision", "created", "updated"]
        read_only_fields = fields


class DesignDetailSerializer(DesignSerializer):
    document = serializers.SerializerMethodField()

    class Meta(DesignSerializer.Meta):
        fields = [*DesignSerializer.Meta.fields, "document"]
        read_only_fields = fields

    @extend_schema_field(DOCUMENT_REF)
    def get_document(self, design: Design) -> dict | None:
        return design.current_revision.document if design.current_revision is not None else None


class DesignCreateSerializer(KnownFieldsOnly, serializers.Serializer):
    name = NameField(max_length=100)
    slug = Slug(max_length=100, required=False, allow_blank=True, default="")
    description = Text(required=False, allow_blank=True, default="")
    document = DocumentField(required=False, help_text="the first revision's document; an empty design if left out")


class DesignUpdateSerializer(KnownFieldsOnly, serializers.Serializer):
    name = NameField(max_length=100, required=False)
    description = Text(required=False, allow_blank=True)


class DesignImportSerializer(KnownFieldsOnly, serializers.Serializer):
    file = serializers.FileField(help_text="a YAML design file")
    name = NameField(max_length=100, required=False, allow_blank=True, default="")
    slug = Slug(max_length=100, required=False, allow_blank=True, default="")


class MembershipSerializer(KnownFieldsOnly, serializers.ModelSerializer):
    username = Text(source="user.username", max_length=150)

    class Meta:
        model = Membership
        fields = ["username", "role", "created"]
        read_only_fields = ["created"]


class ExportCreateSerializer(KnownFieldsOnly, serializers.Serializer):
    format = serializers.ChoiceField(choices=ArchiveFormat.choices, default=ArchiveFormat.TAR_GZ)
    node = Text(max_length=64, required=False, allow_blank=True, default="",
                                 help_text="a device name; every node when left out")
    revision = Integer(required=False, allow_null=True, default=None, min_value=1,
                       help_text="a revision id of this design; the current one when left out")


class JobSerializer(serializers.ModelSerializer):
    log = serializers.ListField(child=serializers.CharField())
    result = serializers.DictField(allow_null=True, help_text="what a finished job made, such as its download URL")

    class Meta:
        model = Job
        fields = ["id", "kind", "status", "progress", "log", "result", "error", "created", "started", "finished"]
        read_only_fields = fields

    def to_representation(self, job: Job) -> dict:
        return job_state_now(job)


class JobStartedSerializer(serializers.Serializer):
    job = JobSerializer()


class ProblemSerializer(serializers.Serializer):
    path = serializers.CharField(allow_blank=True)
    message = serializers.CharField()
    hint = serializers.CharField(allow_blank=True)


class ProblemsSerializer(serializers.Serializer):
    problems = ProblemSerializer(many=True, help_text="the first 100 problems found")
    more = serializers.IntegerField(min_value=0, help_text="how many more problems there were")


class CompileRequestSerializer(KnownFieldsOnly, serializers.Serializer):
    document = DocumentField()
    record = RecordField(required=False, allow_null=True, default=None,
                         help_text="an allocation record, to keep what it pins in place")
    revision = Integer(
        required=False, allow_null=True, default=None, min_value=1,
        help_text="a stored revision (of a design you are a member of) whose allocations stay in place, as the "
                  "canvas sends the revision its working document started from")
    tables = Boolean(required=False, default=False,
                                      help_text="answer the plan tables too (IP, ASN, MTU, VNI, BGP, cabling)")

    def validate(self, attrs: dict) -> dict:
        if attrs.get("record") is not None and attrs.get("revision") is not None:
            raise serializers.ValidationError({"revision": "send a record or a revision, not both"})
        return attrs


class SummarySerializer(serializers.Serializer):
    errors = serializers.IntegerField()
    warnings = serializers.IntegerField()
    devices = serializers.IntegerField()
    links = serializers.IntegerField()
    sessions = serializers.IntegerField()
    vnis = serializers.IntegerField()


class FindingSerializer(serializers.Serializer):
    code = serializers.CharField()
    severity = serializers.ChoiceField(choices=["error", "warning", "info"])
    message = serializers.CharField()
    elements = serializers.ListField(child=serializers.CharField())
    hint = serializers.CharField(allow_blank=True)


class TableSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.DictField(child=serializers.CharField(allow_blank=True)))


class PlanSerializer(serializers.Serializer):
    """The shape of a plan answer (documentation only: the answer is built by ``plan_payload``)."""

    design = serializers.CharField()
    devices = serializers.DictField(child=serializers.DictField())
    links = serializers.ListField(child=serializers.DictField())
    tables = TableSerializer(many=True)
    findings = FindingSerializer(many=True)
    summary = SummarySerializer()
    server_ms = serializers.FloatField(required=False)
    revision = serializers.IntegerField(required=False)


class OverlayInterfaceSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="bridge, vxlan, bond, vlan, vrf or wireguard")
    name = serializers.CharField(required=False, help_text="the interface, when the device has a few of them")
    mtu = serializers.IntegerField(required=False, allow_null=True)
    count = serializers.IntegerField(required=False, help_text="how many of this kind, when the device has many")


class DrawnDeviceSerializer(serializers.Serializer):
    loopback_v4 = serializers.CharField(allow_null=True)
    asn = serializers.IntegerField(allow_null=True)
    nic_mtus = serializers.DictField(child=serializers.IntegerField(allow_null=True), help_text="NIC name -> MTU")
    overlay = OverlayInterfaceSerializer(many=True)


class DrawnLinkSerializer(serializers.Serializer):
    id = serializers.CharField()
    a_mtu = serializers.IntegerField(allow_null=True)
    b_mtu = serializers.IntegerField(allow_null=True)
    subnet = serializers.CharField(allow_null=True)


class LivePlanSerializer(serializers.Serializer):
    """The live plan the canvas draws (documentation only: the answer is built by ``live_plan_payload``)."""

    devices = serializers.DictField(child=DrawnDeviceSerializer(), help_text="device id -> what its node shows")
    links = DrawnLinkSerializer(many=True)
    vnis = serializers.DictField(child=serializers.IntegerField(), help_text="network id -> its VNI")
    findings = FindingSerializer(many=True)
    summary = SummarySerializer()
    tables = TableSerializer(many=True, required=False, help_text="only when the request asks for them")
    server_ms = serializers.FloatField()


class LintSerializer(serializers.Serializer):
    revision = serializers.IntegerField()
    findings = FindingSerializer(many=True)
    summary = SummarySerializer()


class SignInSerializer(KnownFieldsOnly, serializers.Serializer):
    username = Text(max_length=150)
    password = Text(max_length=4096, trim_whitespace=False, style={"input_type": "password"})
    name = NameField(max_length=100, required=False, default="API token", help_text="what you call this token")
    days = Integer(min_value=1, max_value=MAX_TOKEN_DAYS, required=False, default=None,
                                    help_text="how many days the token is valid; the server's default when left out")


class TokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "created", "expiry"]
        read_only_fields = fields


class IssuedTokenSerializer(TokenSerializer):
    token = serializers.CharField(help_text="shown this once: only its hash is kept")

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "token"]
        read_only_fields = fields
