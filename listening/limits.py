"""How much shared work a tenant may ask for.

Everything a tenant controls that costs the shared workers or database something (keywords that
every mention is matched against, sources that are polled, rules and channels the sweeps walk
through, page sizes) has a limit here. The values live in ``settings.DENGAR["LIMITS"]`` (one
block, each overridable as ``DENGAR_LIMIT_<NAME>``); the API refuses what passes them with a 400
naming the field, in words a person reads (translated).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def limit(name: str) -> int:
    """``settings.DENGAR["LIMITS"][name]``: the values and what each bounds are listed there."""
    return int(settings.DENGAR["LIMITS"][name])


def terms_problems(values: Sequence[str]) -> list[str]:
    """What is wrong with a brand's list of keywords (or aliases, or exclusions), if anything."""
    most, chars = limit("KEYWORDS_PER_BRAND"), limit("KEYWORD_CHARS")
    problems = []
    if len(values) > most:
        problems.append(ngettext("At most %(n)d entry is allowed.", "At most %(n)d entries are allowed.",
                                 most) % {"n": most})
    too_long = [v for v in values if len(v) > chars]
    if too_long:
        problems.append(ngettext("Each entry may have at most %(n)d character.",
                                 "Each entry may have at most %(n)d characters.", chars) % {"n": chars}
                        + " " + _("Too long: %(first)s…") % {"first": too_long[0][:20]})
    return problems


def count_problem(*, name: str, existing: int, what: str) -> str | None:
    """Why one more of ``what`` is refused when the tenant has ``existing``, if it is."""
    most = limit(name)
    if existing < most:
        return None
    return _("This tenant already has %(n)d %(what)s, the most it may have.") % {"n": existing, "what": what}


def config_problem(config: Any) -> str | None:
    most = limit("SOURCE_CONFIG_BYTES")
    size = len(json.dumps(config, separators=(",", ":"), ensure_ascii=False, default=str).encode())
    if size <= most:
        return None
    return _("The config is %(size)d bytes as JSON; at most %(n)d are allowed.") % {"size": size, "n": most}
