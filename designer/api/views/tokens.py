"""Signing in for a token, and the tokens a person holds: listed by name, revoked by their owner."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound, Throttled, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.services.tokens import token_issue, token_revoke, tokens_of

from ..serializers import IssuedTokenSerializer, SignInSerializer, TokenSerializer
from ..throttling import REFUSAL, sign_in_refused
from .designs import BAD_INPUT


class SignInView(APIView):
    """A user name and password for a new token; wrong ones are counted per account and per address."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(summary="Sign in: a new named token, shown once, valid for some days", request=SignInSerializer,
                   responses={201: IssuedTokenSerializer, 400: BAD_INPUT,
                              429: OpenApiResponse(description="too many failed sign-ins; Retry-After says when")})
    def post(self, request: Request) -> Response:
        payload = SignInSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        throttles, wait = sign_in_refused(request, self)
        if wait is not None:
            raise Throttled(wait, detail=f"{REFUSAL}; try again later")
        wanted = payload.validated_data
        user = authenticate(request, username=wanted["username"], password=wanted["password"])
        if user is None or not user.is_active:
            for throttle in throttles:
                throttle.failed()
            raise ValidationError({"password": "that user name and password do not match"})
        token, secret = token_issue(user=user, name=wanted["name"], days=wanted["days"] or settings.TOKEN_DAYS)
        return Response(IssuedTokenSerializer({**TokenSerializer(token).data, "token": secret}).data,
                        status=status.HTTP_201_CREATED)


class TokenViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your own tokens; deleting one revokes it at once."""

    lookup_value_converter = "int"
    serializer_class = TokenSerializer
    pagination_class = None

    def get_queryset(self):
        return tokens_of(self.request.user)

    @extend_schema(summary="Revoke one of your tokens", responses={204: None})
    def destroy(self, request: Request, pk: int) -> Response:
        if not token_revoke(user=request.user, token_id=pk):
            raise NotFound("you hold no token with that id")
        return Response(status=status.HTTP_204_NO_CONTENT)
