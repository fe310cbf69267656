"""Composing one mention from parts: a business's core, wrapped and spelt as people write.

Everything is drawn from the random stream it is given, so a slot's text stays a pure function of
its seed. ``fill`` gives a placeholder's value (the brand forms, counts, the city …).
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Callable
from functools import cache

from workers.adapters.mock import texts
from workers.adapters.mock.businesses import Business

Fill = Callable[[str], str]

_PLACEHOLDER_OR_WORD = re.compile(r"\{[a-z_]+\}|\b[^\W\d_]+\b")
_SPACES = re.compile(r"\s{2,}")
_LOOSE_PUNCT = re.compile(r"\s+([,.?!:])")
_DOUBLE_COMMA = re.compile(r",\s*,")


@cache
def _spelling_index(lang: str) -> dict[str, tuple[str, ...]]:
    return {word: group for group in texts.SPELLINGS[lang] for word in group}


def _fields(template: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for _, name, _, _ in string.Formatter().parse(template) if name))


def _has_brand(*parts: str) -> bool:
    return any("{b}" in p or "{brand}" in p for p in parts)


def _join(*parts: str) -> str:
    text = " ".join(p for p in parts if p)
    text = _DOUBLE_COMMA.sub(",", _LOOSE_PUNCT.sub(r"\1", text))
    return _SPACES.sub(" ", text).strip(" ,")


def _with_brand(rng: random.Random, text: str) -> str:
    """The brand tagged at the start or the end, where the parts did not name it."""
    if _has_brand(text):
        return text
    return f"{{b}} {text}" if rng.random() < 0.6 else f"{text} {{b}}"


def _complaint(rng: random.Random, lang: str, business: Business) -> str:
    core = rng.choice(business["problem"][lang])
    opener = rng.choice(texts.COMPLAINT_OPENERS[lang])
    if _has_brand(core):
        opener = opener if not _has_brand(opener) else ""
    detail = rng.choice(texts.COMPLAINT_DETAILS[lang])
    closer = rng.choice(texts.COMPLAINT_CLOSERS[lang])
    sep = rng.choice((",", ".", "", " -"))
    body = _join(opener, core + (sep if detail else ""), detail, closer)
    return _join(_with_brand(rng, body), rng.choice(texts.COMPLAINT_EMOJI))


def _question(rng: random.Random, lang: str, business: Business) -> str:
    core = rng.choice(business["question"][lang])
    opener = "" if _has_brand(core) else rng.choice(texts.QUESTION_OPENERS[lang])
    return _with_brand(rng, _join(opener, core, rng.choice(texts.QUESTION_CLOSERS[lang])))


def _praise(rng: random.Random, lang: str, business: Business) -> str:
    if rng.random() < 0.2:
        core = rng.choice(texts.RESOLVED[lang])
        body = _join(core, rng.choice(texts.PRAISE_EMOJI))
        return _with_brand(rng, body)
    core = rng.choice(business["praise"][lang])
    opener = rng.choice(texts.PRAISE_OPENERS[lang])
    closer = rng.choice(texts.PRAISE_CLOSERS[lang])
    if _has_brand(core):
        opener = "" if _has_brand(opener) else opener
        closer = "" if _has_brand(closer) else closer
    elif _has_brand(opener) and _has_brand(closer):
        closer = ""
    body = _join(opener, core + rng.choice((",", "", "!", ".")), closer, rng.choice(texts.PRAISE_EMOJI))
    return _with_brand(rng, body)


def _chatter(rng: random.Random, lang: str, business: Business) -> str:
    pool = business["chatter"][lang] if rng.random() < 0.7 else texts.CHATTER[lang]
    opener = rng.choice(texts.CHATTER_OPENERS[lang])
    body = _join(opener, rng.choice(pool), rng.choice(texts.CHATTER_CLOSERS[lang]))
    return _with_brand(rng, body)


def _spam(rng: random.Random, lang: str, business: Business) -> str:
    return _join(rng.choice(texts.SPAM[lang]), rng.choice(texts.SPAM_EMOJI))


_WRITERS: dict[str, Callable[[random.Random, str, Business], str]] = {
    "complaint": _complaint, "question": _question, "praise": _praise, "neutral": _chatter,
    "spam": _spam,
}
# How often a word with other spellings is written another way, when the writer is informal.
_RESPELL = 0.6
_INFORMAL = {"id": 0.8, "ms": 0.8, "en": 0.4}


def respell(rng: random.Random, template: str, lang: str) -> str:
    """Words swapped for their other spellings ("sudah" -> "udh"), placeholders left alone."""
    index = _spelling_index(lang)

    def swap(match: re.Match[str]) -> str:
        word = match.group()
        group = index.get(word)
        if group is None or rng.random() >= _RESPELL:
            return word
        return rng.choice(group)

    return _PLACEHOLDER_OR_WORD.sub(swap, template)


def compose(rng: random.Random, *, category: str, lang: str, business: Business,
            fill: Fill) -> str:
    """One mention of ``category`` in ``lang`` about ``business``."""
    template = _WRITERS[category](rng, lang, business)
    if category != "spam" and rng.random() < _INFORMAL[lang]:
        template = respell(rng, template, lang)
    values = {name: fill(name) for name in _fields(template)}
    text = template.format_map(values)
    if category != "spam" and rng.random() < 0.15:
        text = text[:1].upper() + text[1:]
    return text


def reply(rng: random.Random, *, lang: str, author: str, agent: str) -> str:
    """The brand's answer to a complaint, addressed to its author."""
    greeting = rng.choice(texts.REPLY_GREETINGS[lang]).format(author=author)
    return _join(f"@{author}", greeting, rng.choice(texts.REPLY_APOLOGIES[lang]),
                 rng.choice(texts.REPLY_ACTIONS[lang]), f"-{agent}")
