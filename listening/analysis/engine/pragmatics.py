"""What a mention does, beyond the words it holds: the engine's second reading.

The cue scores and the learned sentiment read words. Some mentions use a complaint's words to say
something else, and some carry no sentiment at all; this module reads the few shapes where that
is so, in every language the engine knows:

- a problem put right ("makasih min, masalahnya udah beres", "support fixed it in 10 minutes"):
  praise, not a complaint;
- a question that only asks whether something is so yet ("promo masih ada gak?", "is 5g in Medan
  yet?", "dah ada ke belum?"): its "still", "yet" and closing "or not" are no grievance;
- waiting for a person ("waiting for a friend at …"), or waiting told as what one is doing now
  ("lagi nunggu pesenan", "waiting in line at …"): an arrangement, not a service failure;
- not knowing or expecting ("didn't know they sponsored the marathon"): surprise, not a failure;
- praise the word lists know, with nothing negative beside it ("sinyal kencang banget 💯"):
  positive, where the review-trained model reads a service's praise as negative;
- a short mention with no sentiment word and no real complaint cue that only leans, asks for
  information, plans or passes on hearsay ("besok mau ke … ah", "kawan aku kerja kat …,
  katanya …"): neutral, whatever the review-trained model leans to.

Shopping talk that is no advert ("seneng bgt promo ongkir gratis") is read in ``spam.py``.

Pure functions over ``Tokens``; word lists in ``lexicons.py``.
"""

from __future__ import annotations

from typing import NamedTuple

from listening.analysis.engine import lexicons as lx
from listening.analysis.engine.text import Tokens

Evidence = list[tuple[float, str]]

# How far back a resolution word looks for what makes it done, and for what makes it a wish or
# a denial ("need to get it fixed", "belum juga beres").
_REACH = 3
_BLOCK_REACH = 2
# A question's cues below this weight name its topic ("do you deliver to …?", "promo pulsa
# masih ada?"), not a grievance.
TOPIC_CUE = 0.6
QUESTION_SPAN = 12
# Praising words (or emoji) that outweigh the learned model's negative reading, with no other.
PRAISE_HITS = 2
# Sentiment given to a problem put right, at least; and the most a chat keeps of the learned one.
RESOLVED_SCORE = 0.4
CHAT_DAMPING = 0.25
# Below this the learned model's lean (p(positive) - p(negative)) is a lean, not a judgement.
CHAT_LEAN = 0.3
# A mention's length: past it, a text has room for opinions the word lists do not know.
CHAT_WORDS = 14


class Reading(NamedTuple):
    score: float
    sentiment: str
    strength: float
    evidence: Evidence


def strength_of(evidence: Evidence) -> float:
    """Cue strength with diminishing returns, as ``classifier.complaint_strength`` sums it."""
    return sum(v / (1 + 0.35 * i) for i, (v, _) in enumerate(sorted(evidence, reverse=True)))


def resolution_at(words: list[str]) -> int | None:
    """Where the text says a problem was put right, if it does and nothing after takes it back
    ("udah beres tapi error lagi", "fixed it but still no signal")."""
    for i, w in enumerate(words):
        if w not in lx.RESOLUTION_WORDS:
            continue
        before = words[max(0, i - _REACH):i]
        if lx.RESOLUTION_BLOCKERS.intersection(words[max(0, i - _BLOCK_REACH):i]):
            continue
        if w not in lx.RESOLVED_BY_THEMSELVES and lx.COMPLETION_MARKERS.isdisjoint(before):
            continue
        after = words[i + 1:]
        if lx.CONTRASTS.intersection(after) or lx.NEGATORS.intersection(after):
            continue
        if _denied_before(words, i):
            continue
        return i
    return None


def _denied_before(words: list[str], i: int) -> bool:
    """Whether a failure is told before ``i`` and not turned ("no signal …, engineers have fixed
    an issue"; but "gak bisa login td, tapi sekarang udah normal")."""
    for w in reversed(words[:i]):
        if w in lx.CONTRASTS:
            return False
        if w in lx.NEGATORS:
            return True
    return False


def tag_negators(tk: Tokens) -> set[int]:
    """Positions of negators that close a question ("masih ada gak?", "udah masuk belum? thx")."""
    found: set[int] = set()
    words = tk.words
    for mark in tk.question_marks:
        j = mark - 1
        while j >= 0 and (words[j] in lx.QUESTION_CLOSERS or words[j].startswith("emo_")):
            j -= 1
        if j > 0 and words[j] in lx.TAG_NEGATORS:
            found.add(j)
    return found


def _question_spans(tk: Tokens) -> list[tuple[int, int]]:
    """The words of each question: up to ``QUESTION_SPAN`` words before its "?", not reaching
    back into the question before."""
    spans, previous = [], 0
    for mark in tk.question_marks:
        spans.append((max(previous, mark - QUESTION_SPAN), mark))
        previous = mark
    return spans


def _asks_for_information(tk: Tokens, evidence: Evidence) -> Evidence:
    """A question's cues without its "or not" tags; none at all if, with nothing negated, every
    cue left stands in a question and only places it in time or names its topic ("is the promo
    still on?", "do you deliver to Medan?"), as a question asking for information does."""
    if not tk.question_marks:
        return evidence
    words = tk.words
    tag_at = tag_negators(tk)
    tags = {words[j] for j in tag_at}
    negated = {w for i, w in enumerate(words) if w in lx.DENIALS and i not in tag_at}
    kept = [(v, w) for v, w in evidence if w not in tags or w in negated]
    if negated or lx.GRIEVANCE_QUESTIONS.intersection(words):
        return kept
    spans = _question_spans(tk)
    asked = {w for start, end in spans for w in words[start:end]}
    if all(
        w.split(" ", 1)[0] in asked and (w in lx.ASPECT_PARTICLES or v < TOPIC_CUE)
        for v, w in kept
    ):
        return []
    return kept


def _without_untroubled_waits(words: list[str], evidence: Evidence) -> Evidence:
    """Cues without "waiting" where what is awaited is a person, or where the waiting is told
    as what one is doing now and has not lasted."""
    lasted = not (lx.HAS_LASTED.isdisjoint(words) and lx.DENIALS.isdisjoint(words)) or any(
        w in lx.TIME_UNITS and words[i - 1] in lx.COUNTS for i, w in enumerate(words) if i
    )
    drop = {
        w for i, w in enumerate(words)
        if w in lx.WAITING_WORDS and (
            lx.COMPANIONS.intersection(words[i + 1:i + 5])
            or (not lasted and (
                (i and words[i - 1] in lx.NOW_DOING) or lx.IN_LINE.intersection(words[i + 1:i + 3])
            ))
        )
    }
    return [(v, w) for v, w in evidence if w not in drop] if drop else evidence


def _without_surprise(words: list[str], evidence: Evidence) -> Evidence:
    """Cues without a negator that only negates knowing or expecting ("didn't know …")."""
    drop = {
        w for i, w in enumerate(words[:-1]) if w in lx.NEGATORS and words[i + 1] in lx.COGNITION
    }
    return [(v, w) for v, w in evidence if w not in drop] if drop else evidence


def _denies(words: list[str]) -> bool:
    """Whether the text denies something, beyond not having known or expected it."""
    return any(
        w in lx.DENIALS and (i + 1 == len(words) or words[i + 1] not in lx.COGNITION)
        for i, w in enumerate(words)
    )


def _praise_only(words: list[str]) -> bool:
    """At least ``PRAISE_HITS`` praising words or emoji, and nothing negative or negated."""
    if not lx.DENIALS.isdisjoint(words) or not lx.CONTRASTS.isdisjoint(words):
        return False
    values = [v for v in map(lx.SENTIMENT.get, words) if v is not None]
    return len(values) >= PRAISE_HITS and min(values) > 0


def reread(
    tk: Tokens, *, score: float, sentiment: str, strength: float, evidence: Evidence,
    lex_hits: int, learned: bool, min_cue: float,
) -> Reading:
    """The sentiment and the complaint cues, with the shapes above taken into account."""
    words = tk.words
    if not words:
        return Reading(score, sentiment, strength, evidence)
    if resolution_at(words) is not None:
        # The grievance's words stay, so a lingering complaint ("3 weeks, finally sorted, never
        # again") keeps some weight, but a report of a fix no longer reads as a failure.
        score = max(score, RESOLVED_SCORE)
        return Reading(score, "positive", 0.25 * strength, evidence)
    asked = _asks_for_information(tk, evidence)
    information_only = bool(evidence) and not asked
    kept = _without_surprise(words, _without_untroubled_waits(words, asked))
    if len(kept) != len(evidence):
        evidence, strength = kept, strength_of(kept)
    if learned and sentiment == "negative" and _praise_only(words):
        # The learned model, fitted on reviews, misses what praise of a service sounds like
        # ("sinyal di Medan kencang banget sekarang 💯"); the word lists do not.
        return Reading(max(-score, RESOLVED_SCORE), "positive", strength, evidence)
    if learned and lex_hits == 0 and len(words) <= CHAT_WORDS and not any(
        v >= min_cue for v, _ in evidence
    ) and (
        abs(score) < CHAT_LEAN
        or information_only
        or (lx.PLAN_OR_HEARSAY.intersection(words) and not _denies(words))
    ):
        # Nothing here carries sentiment, and the learned model, fitted on reviews, only leans,
        # or reads a question for information, a plan or hearsay: neutral.
        return Reading(CHAT_DAMPING * score, "neutral", strength, evidence)
    return Reading(score, sentiment, strength, evidence)
