"""What the OpenAPI document says about errors, for every operation at once.

drf-spectacular documents the answers a view gives when all goes well. Every API view can also
refuse: 401 without a valid token, 403 for a role or a read-only token (or a session without its
CSRF token), 429 past a throttle (with ``Retry-After``); 404 where the path names a tenant or a
row, or a page cursor is not one the API gave; 400 where there is input (a body or query
parameters); 415 for a body that is not JSON. The
postprocessing hook ``document_error_responses`` adds each of those an operation can give and
does not already document, with the body DRF writes.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

HTTP_METHODS = {"get", "put", "post", "patch", "delete", "head", "options", "trace"}

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
    "description": "What went wrong, for a person to read.",
}
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "additionalProperties": True,
    "description": (
        "The input's problems: each field (``non_field_errors`` for the whole) with its messages, "
        "nested as the input is (``config``'s settings, a list's items); or ``detail`` when the "
        "body could not be read at all."
    ),
}


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


# For views to name in their own ``responses`` (a 409 is particular to a few of them).
CONFLICT = OpenApiResponse(ErrorSerializer, description="Changed meanwhile, or not allowed from the current state.")


def _response(description: str, ref: str, **extra: Any) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
            **extra}


def _errors_for(operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    parameters = operation.get("parameters", [])
    has_body = "requestBody" in operation
    errors = {
        "401": _response("No valid token or session.", "Error"),
        "403": _response("The caller's role, or a read-only token, does not allow this.", "Error"),
        "429": _response("Too many requests; retry after the number of seconds in Retry-After.", "Error",
                         headers={"Retry-After": {"schema": {"type": "integer"},
                                                  "description": "Seconds to wait before retrying."}}),
    }
    if any(p.get("in") == "path" or p.get("name") == "cursor" for p in parameters):
        # A tenant or row that is not there, or a cursor that is not one of ours.
        errors["404"] = _response("No such tenant or row, or not yours.", "Error")
    if has_body or any(p.get("in") == "query" for p in parameters):
        errors["400"] = _response("Invalid input.", "ValidationError")
    if has_body:
        errors["415"] = _response("The body is not JSON.", "Error")
    return errors


def document_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR_SCHEMA)
    schemas.setdefault("ValidationError", VALIDATION_ERROR_SCHEMA)
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in HTTP_METHODS:
                continue
            responses = operation.setdefault("responses", {})
            # A view that also renders another format (the CSV export) writes its errors in the
            # format negotiated, JSON or that one.
            others = {media for response in responses.values() for media in response.get("content", {})
                      if media != "application/json"}
            for code, response in _errors_for(operation).items():
                if code not in responses:
                    for media in others:
                        response["content"][media] = {"schema": {"type": "string"}}
                    responses[code] = response
    return result
