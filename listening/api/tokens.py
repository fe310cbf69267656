"""/api/v1/auth/: API tokens, made for one tenant, read-only or read-write, with an expiry.

- ``auth/tokens/``: the caller's live tokens (never their secret), and a new one (the secret is in
  the 201 answer, once). Managed with a session (the dashboard's login) or, for a new token, a
  password at ``auth/token/``; a request authenticated by an API token gets 403, so a token can
  never mint a wider one.
- ``auth/tokens/<id>/``: DELETE revokes one of the caller's tokens; any other id is a 404.
- ``auth/token/``: username, password and tenant for a token, the endpoint integrators used
  before tokens were scoped. Behind the login lockout (429 after too many failed passwords).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from listening.api.authentication import request_token, request_user
from listening.login_lockout import client_ip, login_failures_clear
from listening.models import ApiToken, TokenScope
from listening.selectors.tenancy import tenant_for_member
from listening.selectors.tokens import api_token_list
from listening.services.tokens import TokenLimitReached, api_token_create, api_token_revoke


class TokenCreateThrottle(SimpleRateThrottle):
    """The stricter rate for making tokens (POST only): per user, or per client IP when anonymous."""

    scope = "token_create"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if request.method != "POST":
            return None
        ident = request.user.pk if request.user and request.user.is_authenticated else client_ip(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class NotByApiToken(BasePermission):
    message = _("Manage API tokens with a dashboard session or a password, not with a token.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return request_token(request) is None


# --- serializers ---------------------------------------------------------------------------------


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class TokenOutputSerializer(serializers.ModelSerializer):
    tenant = serializers.SlugField(source="tenant.slug", read_only=True)

    class Meta:
        model = ApiToken
        fields = ["id", "name", "tenant", "scope", "prefix", "created_at", "expires_at", "last_used_at"]
        read_only_fields = fields


class TokenCreatedSerializer(TokenOutputSerializer):
    token = serializers.CharField(read_only=True, help_text="The secret. Shown this once, never again.")

    class Meta(TokenOutputSerializer.Meta):
        fields = [*TokenOutputSerializer.Meta.fields, "token"]
        read_only_fields = fields


class TokenInputSerializer(serializers.Serializer):
    tenant = serializers.SlugField(max_length=80, help_text="Slug of a tenant you are a member of.")
    scope = serializers.ChoiceField(choices=TokenScope.choices, default=TokenScope.READ)
    name = serializers.CharField(max_length=100, allow_blank=True, default="", trim_whitespace=True)
    expires_in_days = serializers.IntegerField(
        min_value=1, max_value=settings.DENGAR["API_TOKEN_MAX_DAYS"],
        default=settings.DENGAR["API_TOKEN_DEFAULT_DAYS"],
    )

    def validate_tenant(self, slug: str) -> Any:
        # "No such tenant" and "not yours" read the same, so a slug leaks nothing.
        tenant = tenant_for_member(user=self.context["user"], slug=slug)
        if tenant is None:
            raise serializers.ValidationError(_("No tenant with this slug among yours."))
        return tenant


class PasswordTokenInputSerializer(TokenInputSerializer):
    """The body of auth/token/, for the schema: the view checks the credentials first (they say
    whose tenants ``tenant`` is looked up in), then the rest with TokenInputSerializer."""

    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, style={"input_type": "password"}, trim_whitespace=False)


def _create(user: User, data: dict[str, Any]) -> tuple[ApiToken, str]:
    try:
        return api_token_create(
            user=user, tenant=data["tenant"], scope=data["scope"], name=data["name"],
            expires_in_days=data["expires_in_days"],
        )
    except TokenLimitReached:
        raise serializers.ValidationError(
            {"non_field_errors": [_("You have too many live tokens; revoke one first.")]}
        ) from None


ERRORS = {
    401: OpenApiResponse(DetailSerializer, description=_("No or invalid credentials.")),
    403: OpenApiResponse(
        DetailSerializer,
        description=_("Authenticated by an API token (tokens cannot manage tokens), or CSRF failed."),
    ),
    429: OpenApiResponse(DetailSerializer, description=_("Throttled; see the Retry-After header.")),
}
VALIDATION = OpenApiResponse(
    OpenApiTypes.OBJECT, description=_("Invalid input: an object of field names to lists of messages.")
)


# --- views -----------------------------------------------------------------------------------------


class TokenListView(APIView):
    permission_classes = [IsAuthenticated, NotByApiToken]
    throttle_classes = [AnonRateThrottle, UserRateThrottle, TokenCreateThrottle]

    @extend_schema(
        operation_id="auth_tokens_list",
        responses={200: TokenOutputSerializer(many=True), 401: ERRORS[401], 403: ERRORS[403], 429: ERRORS[429]},
    )
    def get(self, request: Request) -> Response:
        return Response(TokenOutputSerializer(api_token_list(user=request_user(request)), many=True).data)

    @extend_schema(
        operation_id="auth_tokens_create",
        request=TokenInputSerializer,
        responses={201: TokenCreatedSerializer, 400: VALIDATION, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = TokenInputSerializer(data=request.data, context={"user": request.user})
        serializer.is_valid(raise_exception=True)
        token, key = _create(request_user(request), serializer.validated_data)
        token.token = key  # type: ignore[attr-defined]  # the secret, for the serializer: no model field
        return Response(TokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)


class TokenDetailView(APIView):
    permission_classes = [IsAuthenticated, NotByApiToken]

    @extend_schema(
        operation_id="auth_tokens_revoke",
        responses={
            204: OpenApiResponse(description=_("Revoked.")),
            404: OpenApiResponse(DetailSerializer, description=_("None of your live tokens has this id.")),
            **ERRORS,
        },
    )
    def delete(self, request: Request, pk: int) -> Response:
        if not api_token_revoke(user=request_user(request), token_id=pk):
            raise NotFound()
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordTokenView(APIView):
    """A token for a username and password (integrators, scripts)."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle, TokenCreateThrottle]

    @extend_schema(
        operation_id="auth_token_by_password",
        request=PasswordTokenInputSerializer,
        responses={
            200: TokenCreatedSerializer,
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description=_("Invalid input or wrong username or password: an object of field names "
                              "(or non_field_errors) to lists of messages."),
            ),
            429: ERRORS[429],
        },
    )
    def post(self, request: Request) -> Response:
        credentials = _CredentialsSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        username = credentials.validated_data["username"]
        # May raise LoginLockedOut (429): the lockout is checked before the password.
        user = authenticate(request._request, username=username,
                            password=credentials.validated_data["password"])
        if user is None:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Unable to sign in with these credentials.")]}
            )
        login_failures_clear(username=username)
        serializer = TokenInputSerializer(data=request.data, context={"user": user})
        serializer.is_valid(raise_exception=True)
        token, key = _create(user, serializer.validated_data)
        token.token = key  # type: ignore[attr-defined]  # the secret, for the serializer: no model field
        return Response(TokenCreatedSerializer(token).data, status=status.HTTP_200_OK)


class _CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)
