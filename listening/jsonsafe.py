"""Numbers that JSON can hold.

Python's ``json`` writes ``Infinity`` and ``NaN``, which are not JSON: PostgreSQL refuses them in
a ``jsonb`` column (``Token "Infinity" is invalid``), and most receivers of a webhook or an API
answer refuse them too. The volume detector honestly computes ``inf`` (a relative change against
an expected 0) and ``nan`` (a mean over no weeks), so every place that turns such figures into JSON
goes through :func:`json_safe` first, which writes ``null`` for them, and :func:`json_dumps`
refuses anything that slipped past.

Pure Python (numpy is handled by duck typing): the analysis, the services and the API share it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any


def json_safe(value: Any) -> Any:
    """A copy of ``value`` that ``json.dumps(allow_nan=False)`` accepts: non-finite floats become
    None, numpy scalars and arrays become Python numbers and lists, tuples and sets become lists,
    mapping keys become strings. Anything else is returned as it is."""
    if value is None or isinstance(value, bool | str | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k) if not isinstance(k, str) else k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v) for v in value]
    tolist = getattr(value, "tolist", None)  # numpy scalars and arrays
    if callable(tolist) and hasattr(value, "dtype"):
        return json_safe(tolist())
    return value


def json_dumps(value: Any, **kwargs: Any) -> str:
    """``json.dumps`` of :func:`json_safe` (value), refusing any non-finite number left."""
    return json.dumps(json_safe(value), allow_nan=False, **kwargs)
