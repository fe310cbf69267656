"""The API's one parser: JSON, bounded.

Python's decoder recurses once per nesting level and raises ``RecursionError`` near 1,000 levels,
which DRF's parser does not catch (a 500). No request of this API nests more than a few levels, so
a body deeper than ``MAX_DEPTH`` is refused whole with a 400; so are the ``NaN`` and ``Infinity``
literals and numbers too large for a float (``1e999``), which no JSON peer can read back.
"""

from __future__ import annotations

import codecs
import json
import math
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32


def _refuse_constant(name: str) -> Any:
    raise ValueError(_("%(name)s is not a JSON number.") % {"name": name})


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(_("%(number)s is too large a number.") % {"number": text[:40]})
    return value


def depth(value: Any) -> int:
    """How deeply arrays and objects nest in ``value`` (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        level += 1
        deepest = max(deepest, level)
        stack.extend((child, level) for child in children)
    return deepest


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        # DRF 3.18's (it refuses non-text codecs); djangorestframework-stubs 3.16 predates it.
        encoding = parsers.get_encoding(parser_context or {})  # type: ignore[attr-defined]
        try:
            data = json.load(
                codecs.getreader(encoding)(stream),
                parse_constant=_refuse_constant,
                parse_float=_finite_float,
            )
        except RecursionError:
            raise ParseError(_("JSON parse error: nested more than %(depth)d levels deep.")
                             % {"depth": MAX_DEPTH}) from None
        except ValueError as exc:  # includes UnicodeDecodeError
            raise ParseError(_("JSON parse error: %(error)s") % {"error": exc}) from None
        if depth(data) > MAX_DEPTH:
            raise ParseError(_("JSON parse error: nested more than %(depth)d levels deep.")
                             % {"depth": MAX_DEPTH})
        return data
