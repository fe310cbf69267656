"""JSON Web Tokens the platform adapters sign themselves: RS256 for a Google service account's
token request, ES256 for App Store Connect. Only what these two need, with ``cryptography``."""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature


class KeyProblem(ValueError):
    """The key cannot sign: the message says why, never what the key holds."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _segments(header: dict[str, Any], claims: dict[str, Any]) -> bytes:
    compact = {"separators": (",", ":"), "sort_keys": True}
    return (b64url(json.dumps(header, **compact).encode()) + "." +  # type: ignore[arg-type]
            b64url(json.dumps(claims, **compact).encode())).encode("ascii")  # type: ignore[arg-type]


def load_private_key(pem: str) -> Any:
    try:
        return serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError, UnicodeEncodeError):
        raise KeyProblem("not a PEM private key without a password") from None


def rs256(pem: str, *, claims: dict[str, Any], key_id: str = "") -> str:
    key = load_private_key(pem)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise KeyProblem("not an RSA private key")
    header = {"alg": "RS256", "typ": "JWT", **({"kid": key_id} if key_id else {})}
    signing_input = _segments(header, claims)
    signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    return signing_input.decode() + "." + b64url(signature)


def es256(pem: str, *, claims: dict[str, Any], key_id: str) -> str:
    key = load_private_key(pem)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise KeyProblem("not a P-256 elliptic-curve private key (an App Store Connect .p8 key)")
    signing_input = _segments({"alg": "ES256", "kid": key_id, "typ": "JWT"}, claims)
    # A JWS carries the raw r and s (32 bytes each), not the DER that cryptography returns.
    r, s = decode_dss_signature(key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
    return signing_input.decode() + "." + b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))
