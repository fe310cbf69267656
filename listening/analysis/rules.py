"""A tenant's own phrase rules, applied on top of the classifier, and the label arithmetic shared
by rules and human corrections.

Pure: the rules come in as rows (``listening.selectors.rules`` loads a tenant's, in one query)
and are compiled once per call, and each rule is indexed by one of its words. A text is split
into its words once; only the rules whose index word it contains are tried, so a text that
matches no rule (nearly all of them) costs one tokenisation whatever the number of rules. (A
regex alternation of every phrase would instead try each phrase at each position of each text.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from listening.analysis.base import Analysis
from listening.analysis.engine.lexicons import QUESTION_CUES

_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")


def normalise_phrase(phrase: str) -> str:
    return _SPACES.sub(" ", phrase.strip()).lower()


def _phrase_pattern(phrase: str) -> str:
    words = [re.escape(w) for w in normalise_phrase(phrase).split(" ")]
    # Word bounds that work for phrases starting or ending in punctuation ("c++", "@acme").
    return r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)"


def phrases_regex(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for any of ``phrases`` as whole words, whatever the case and the spacing
    between their words; None without a phrase. What names a brand (its terms, its exclusions)
    and what a brand-specific rule looks for are both matched by it."""
    alternatives = [_phrase_pattern(p) for p in phrases if normalise_phrase(p)]
    return re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None


def intent_without_complaint(*, text: str, sentiment: str) -> str:
    """The intent of a mention that is not a complaint, from its sentiment and its wording."""
    if sentiment == "positive":
        return "praise"
    words = _WORD.findall(text.lower())[:2]
    if "?" in text or any(w in QUESTION_CUES for w in words):
        return "question"
    return "other"


def with_label(analysis: Analysis, *, field: str, label: str, text: str) -> Analysis:
    """``analysis`` with one field set to a label of the evaluation vocabulary
    (complaint/not_complaint, spam/ham, positive/neutral/negative)."""
    if field == "complaint":
        if label == "complaint":
            return replace(analysis, is_complaint=True, intent="complaint",
                           complaint_confidence=1.0)
        intent = analysis.intent
        if intent == "complaint" or analysis.is_complaint:
            intent = intent_without_complaint(text=text, sentiment=analysis.sentiment)
        return replace(analysis, is_complaint=False, intent=intent, complaint_confidence=0.0)
    if field == "spam":
        return replace(analysis, is_spam=label == "spam")
    if field == "sentiment":
        changed = replace(analysis, sentiment=label)
        if not changed.is_complaint:
            changed = replace(changed, intent=intent_without_complaint(text=text, sentiment=label))
        return changed
    raise ValueError(f"unknown field {field!r}")


# A rule's effect as (field, label).
EFFECTS: dict[str, tuple[str, str]] = {
    "complaint": ("complaint", "complaint"),
    "not_complaint": ("complaint", "not_complaint"),
    "spam": ("spam", "spam"),
    "not_spam": ("spam", "ham"),
}


@dataclass(frozen=True, slots=True)
class _Rule:
    pattern: re.Pattern[str]
    words: frozenset[str]
    field: str
    label: str
    brand_id: int | None
    # Which rule wins when two on the same field match: brand-specific over tenant-wide, then the
    # longer phrase, then the newer rule.
    rank: tuple[int, int, int]


class RuleSet:
    """One tenant's active rules, compiled."""

    def __init__(self, rules: Iterable[tuple[int, str, str, int | None]],
                 brand_terms: dict[int, list[str]] | None = None) -> None:
        """``rules``: (id, phrase, effect, brand_id); ``brand_terms``: brand id -> its terms, used
        to decide whether a text is about a brand when the caller does not say."""
        self._by_word: dict[str, list[_Rule]] = {}
        count = 0
        for rule_id, phrase, effect, brand_id in rules:
            phrase = normalise_phrase(phrase)
            words = _WORD.findall(phrase)
            if not words or effect not in EFFECTS:
                continue
            field, label = EFFECTS[effect]
            rule = _Rule(
                pattern=re.compile(_phrase_pattern(phrase), re.IGNORECASE),
                words=frozenset(words), field=field, label=label, brand_id=brand_id,
                rank=(brand_id is not None, len(phrase), rule_id),
            )
            # Every word of a phrase is a whole word of any text it matches (the pattern's bounds
            # see to that), so a text without the phrase's longest word cannot match it.
            self._by_word.setdefault(max(words, key=len), []).append(rule)
            count += 1
        self._count = count
        self._brands: dict[int, re.Pattern[str]] = {}
        for brand_id, terms in (brand_terms or {}).items():
            about = phrases_regex(terms)
            if about is not None:
                self._brands[brand_id] = about

    def __bool__(self) -> bool:
        return self._count > 0

    def labels_for(self, text: str, *, brand_id: int | None = None,
                   brand_known: bool = False) -> dict[str, str]:
        """field -> label decided by the rules for ``text``; empty when no rule matches.

        A brand-specific rule applies to a mention of that brand: ``brand_id`` when the caller
        knows it (``brand_known``), otherwise when the text names the brand.
        """
        if not self._count:
            return {}
        words = set(_WORD.findall(text.lower()))
        candidates = [r for w in words & self._by_word.keys() for r in self._by_word[w]]
        if not candidates:
            return {}
        decided: dict[str, str] = {}
        # Ascending rank: a stronger rule overwrites a weaker one on the same field.
        for rule in sorted(candidates, key=lambda r: r.rank):
            if not rule.words <= words or not rule.pattern.search(text):
                continue
            if rule.brand_id is not None:
                if brand_known:
                    if rule.brand_id != brand_id:
                        continue
                else:
                    about = self._brands.get(rule.brand_id)
                    if about is None or not about.search(text):
                        continue
            decided[rule.field] = rule.label
        return decided

    def apply(self, text: str, analysis: Analysis, *, brand_id: int | None = None,
              brand_known: bool = False) -> Analysis:
        for field, label in self.labels_for(text, brand_id=brand_id,
                                            brand_known=brand_known).items():
            analysis = with_label(analysis, field=field, label=label, text=text)
        return analysis


def apply_rules(
    *,
    rules: RuleSet,
    texts: list[str],
    analyses: list[Analysis],
    brand_ids: Sequence[int | None] | None = None,
) -> list[Analysis]:
    """The classifier's ``analyses`` of ``texts`` with ``rules`` applied.

    ``brand_ids``, when given, are the mentions' brands; without them a brand-specific rule
    applies to texts naming that brand.
    """
    if len(texts) != len(analyses):
        raise ValueError("texts and analyses differ in length")
    if not rules:
        return list(analyses)
    if brand_ids is None:
        return [rules.apply(t, a) for t, a in zip(texts, analyses, strict=True)]
    return [
        rules.apply(t, a, brand_id=b, brand_known=True)
        for t, a, b in zip(texts, analyses, brand_ids, strict=True)
    ]
