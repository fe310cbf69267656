"""Spam signals beyond the n-grams, shared by training and inference.

The n-gram model learns what a few videos' spam looks like; these signals say what spam looks
like anywhere: advert words and phone numbers, self-promotion ("check out my channel", "see my
new track"), engagement bait ("like this comment", "follow 4 follow"), and links that lead off
the platform. The English spam model is fitted with them as extra columns (``DENSE``), so their
weights are learnt jointly with the n-grams' instead of being set by hand; other languages, which
the collection does not cover, add the word cues to the model by a fixed rule.
"""

from __future__ import annotations

import math
import re

from listening.analysis.engine import lexicons as lx
from listening.analysis.engine.text import Tokens

# Advert words glued into brand-like tokens ("cityiklan", "andaforex").
SPAM_STEMS = re.compile(
    "iklan|forex|follower|promo|slot|gacor|togel|casino|diskon|subscribe|giveaway"
)
# The names of the extra columns, in order; the weight file records them and the loader checks.
# Nothing about the text's shape (length, capitals, @-mentions): on YouTube comments long and
# shouting ones are spam more often, while on brand mentions length says nothing and a mention is
# how a customer addresses the brand; the weights would be artefacts of the training data.
DENSE = (
    "promo_phrases", "offsite_link", "platform_link_only", "phone", "advert_words",
    "complaint_strength",
)

_TRIGGERS = frozenset({"my", "our", "check", "subscribe", "sub", "follow", "like", "likes", "thumbs"})
_INTENT = frozenset({"might", "will", "would", "could", "should", "may", "to", "gonna", "wanna",
                     "i", "we", "i'll", "we'll", "must", "can", "ll"})
_spam_cache: dict[str, float] = {}


def _spam_word(w: str) -> float:
    v = _spam_cache.get(w)
    if v is None:
        v = lx.SPAM_CUES.get(w)
        if v is None:
            v = 0.8 if len(w) > 6 and SPAM_STEMS.search(w) else 0.0
        if len(_spam_cache) >= 100_000:
            _spam_cache.clear()
        _spam_cache[w] = v
    return v


def spam_cues(tk: Tokens) -> float:
    """Advert words and phone numbers."""
    score = math.fsum(map(_spam_word, set(tk.words)))  # exact, so order-free
    if tk.n_phones:
        score += 1.5
    return score


def shopping_talk(tk: Tokens) -> bool:
    """Whether the only advert-like thing in the text is shopping words ("the new plan is fast
    and cheap", "seneng bgt promo ongkir gratis"): no link, phone, call to act or self-promotion,
    which customers write as much as advertisers do."""
    words = set(tk.words)
    advert_words = {w for w in words if _spam_word(w)}
    return bool(advert_words) and advert_words <= lx.SHOPPING_WORDS and not (
        tk.n_phones or tk.n_links or lx.CALLS_TO_ACT & words or promo_phrases(tk.words)
    )


def customer_shopping_talk(tk: Tokens) -> bool:
    """Shopping talk that asks or praises ("is the promo still on?", "the new plan is fast and
    cheap"): a customer's, which no advert model may hide as spam."""
    if not shopping_talk(tk):
        return False
    praise = any(lx.SENTIMENT.get(w, 0.0) > 0 for w in tk.words if w not in lx.SHOPPING_WORDS)
    return bool(tk.question_marks) or praise


def spam_rules(tk: Tokens) -> float:
    """Advert words, phone numbers and links; shopping words at half weight where nothing else
    says advert (``shopping_talk``)."""
    score = spam_cues(tk)
    if shopping_talk(tk):
        score = 0.5 * score
    if tk.n_links:
        score += 1.5 + 0.5 * (tk.n_links > 1)
    return score


def promo_phrases(words: list[str]) -> set[str]:
    """Which kinds of self-promotion or engagement bait the text contains (at most three)."""
    found: set[str] = set()
    if _TRIGGERS.isdisjoint(words):
        return found
    nouns = lx.PROMO_NOUNS
    n = len(words)
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < n else ""
        nxt2 = words[i + 2] if i + 2 < n else ""
        if w in ("my", "our") and (
            nxt in nouns or (nxt in ("new", "newest", "latest", "first", "own") and nxt2 in nouns)
        ):
            found.add("self_promotion")  # "my channel", "our new video"
        elif (w == "check" and nxt == "out" and (i == 0 or words[i - 1] not in _INTENT)) or (
            w == "check" and nxt in ("me", "us") and nxt2 == "out"
        ) or (
            w in ("subscribe", "sub", "follow") and nxt in ("me", "us", "to")
        ):
            # "check out", "check me out", "sub me", "subscribe to"; not "check my DM", which customers write,
            # nor "might check out", which is an intention, not an invitation
            found.add("solicitation")
        if w in ("like", "likes", "thumbs") and (
            (nxt == "this" and nxt2 == "comment") or (nxt == "up" and nxt2 == "if")
        ):
            found.add("engagement_bait")  # "like this comment", "thumbs up if"
        elif w in ("follow", "sub", "subscribe", "like") and nxt in ("<num>", "for", "back") and (
            nxt2 in ("follow", "sub", "subscribe", "like", "")
        ):
            found.add("engagement_bait")  # "follow 4 follow", "sub for sub", "follow back"
    return found


def dense(tk: Tokens, complaint_strength: float) -> list[float]:
    """The extra columns of the spam model, in the order of ``DENSE``."""
    offsite = tk.n_links - min(tk.n_platform_links, tk.n_links)
    return [
        float(len(promo_phrases(tk.words))),
        float(offsite > 0),
        float(tk.n_links > 0 and offsite == 0),
        float(tk.n_phones > 0),
        spam_cues(tk),
        min(complaint_strength, 4.0),
    ]
