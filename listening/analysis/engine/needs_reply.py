"""Does a mention wait for an answer from the brand, and how urgently?

A complaint always does (the most urgent kind). Otherwise a mention that asks the brand something
does: a *request* asks it to act ("bisa tolong cek", "can you DM me", "please refund"), a
*question* asks it for information ("gmn caranya?", "min, buka jam berapa", "how do I…"). A
question put to the crowd ("can anyone recommend…", "ada yg mau nyusul?"), an exclamation ("how
good is this!") or a rhetorical one ("who else loves…", "is it just me or…") asks the brand
nothing.

Hand-written rules over the engine's tokens (slang already expanded: "gmn" is "gimana", "knp" is
"kenapa"), clause by clause, in English and informal Indonesian and Malay; nothing is fitted.
How well they do on a hand-labelled sample is measured in tests/analysis/test_needs_reply.py.
"""

from __future__ import annotations

import re
from enum import StrEnum

from listening.analysis.engine.text import tokenise


class ReplyKind(StrEnum):
    """What a mention waits for from the brand; "" for nothing."""

    NONE = ""
    COMPLAINT = "complaint"
    QUESTION = "question"
    REQUEST = "request"


# Most urgent first, the order in which a tenant's overdue flag may take them in: complaints,
# then questions (someone cannot go on without the answer), then requests ("DM me", "please
# check"). A mention that holds several kinds is of its most urgent one.
URGENCY: tuple[ReplyKind, ...] = (ReplyKind.COMPLAINT, ReplyKind.QUESTION, ReplyKind.REQUEST)

# A clause and what ended it ("?" or not); the text is capped by ``tokenise`` itself per clause.
_CLAUSE = re.compile(r"([^.!?\n;]+)([.!?\n;]*)")

# Words that speak to the brand's people: "min" (admin), "kak", "cs", "support", a handle.
ADDRESS = frozenset({
    "admin", "mimin", "kak", "kakak", "gan", "cs", "support", "team", "@user", "sis", "bang",
})
# "Anyone", "guys", "ada yg": a question to the crowd, not to the brand.
CROWD = frozenset({"anyone", "anybody", "guys", "gaes", "temen", "teman", "kalian2", "netizen"})
CROWD_BIGRAMS = frozenset({"ada yg", "ada yang", "ada yng", "does anyone", "anyone else"})
# Openers of questions nobody is expected to answer.
RHETORICAL = frozenset({
    "who else", "is it", "how good", "how great", "how cool", "how is", "what a", "what an",
    "why would", "anyone else", "i wonder", "wonder if", "who needs", "how lucky", "apa kabar",
})

# Requests: the brand is asked to do something.
REQUEST_WORDS = frozenset({
    "please", "pls", "plz", "pleasee", "tolong", "tlg", "mohon", "dibantu", "bantu", "bantuin",
    "bantuannya", "semak", "dicek", "dicheck", "cekin", "cekkan", "tolongin", "kindly",
})
REQUEST_BIGRAMS = frozenset({
    "can you", "could you", "would you", "will you", "can u", "could u", "pls check",
    "dm me", "message me", "call me", "email me", "text me", "help me", "reply to", "check my",
    "look into", "follow up", "minta info", "minta nomor", "minta tolong", "info dong",
    "cek dong", "dm dong", "can someone", "could someone", "someone please", "help pls",
    "get back", "contact me", "reach me", "hubungi saya", "hubungi aku", "balas dm",
    "bales dm", "cek dm", "check dm", "minta kontak", "minta link", "fix this", "fix it",
    "sort this", "sort it", "refund me", "boleh tolong", "bisa bantu", "bs bantu",
    "need help", "needs help", "harga dong", "infonya dong", "link dong",
})
# "Wondering if…", "mau tanya", "pengen tau": a question said as a statement.
QUESTION_BIGRAMS = frozenset({
    "wondering if", "wondering whether", "wondering when", "wondering how", "mau tanya",
    "mo tanya", "nak tanya", "pengen tau", "pengen tahu", "ingin tahu", "ingin tau", "mau nanya",
    "numpang tanya", "want to know", "wanted to know", "like to know", "tanya dong",
})
# An English question opens with a question word or an auxiliary ("how do I", "is the app…").
EN_WH = frozenset({"how", "what", "when", "where", "which", "who", "why", "whats", "what's",
                   "whens", "wheres", "hows"})
EN_AUX = frozenset({
    "is", "are", "do", "does", "did", "can", "could", "will", "would", "should", "may",
    "any", "isn't", "doesn't", "can't", "won't", "has", "have",
})
# What follows an auxiliary that opens a question ("can I", "does the app", "is there").
PEOPLE = frozenset({"i", "you", "u", "we", "there"})
AUX_SUBJECTS = PEOPLE | {"the", "it", "this", "my", "your", "anyone", "they"}
# Indonesian and Malay question words, anywhere in the clause ("buka jam berapa").
ID_QUESTION = frozenset({
    "apakah", "gimana", "bagaimana", "berapa", "kapan", "dimana", "mana", "kenapa", "mengapa",
    "siapa", "camne", "camana", "bila", "apa", "manakah", "bisakah", "bolehkah", "adakah",
    "kah", "brp", "dmn", "gmna", "gmana", "knapa",
})
# "Ada … ga?", "bisa … nggak", "boleh … tak": a yes/no question ends on a negation.
YES_NO_HEADS = frozenset({"ada", "bisa", "boleh", "masih", "udah", "sudah", "jadi", "buka"})
YES_NO_TAILS = frozenset({"tidak", "ga", "gak", "nggak", "ngga", "enggak", "tak", "ke", "x"})
# Greetings before the question proper ("hi, is the voucher…", "halo min, …").
GREETINGS = frozenset({"hi", "hello", "hey", "halo", "hai", "helo", "pagi", "siang", "sore",
                       "malam", "admin", "min", "kak", "excuse", "sorry", "maaf", "permisi"})
# Particles and forms of address after the question proper ("… ga sih", "… gak kak").
TRAILING = frozenset({"sih", "kak", "admin", "min", "dong", "deh", "kakak", "gan", "sis"})
# Words that end a spoken Indonesian question ("… ya kak?", "… sih?").
QUESTION_TAGS = frozenset({"ya", "yah", "sih", "kah", "ke", "tak", "nggak", "ga", "gak", "kak"})


def _bigrams(words: list[str]) -> set[str]:
    return {a + " " + b for a, b in zip(words, words[1:], strict=False)}


def _clause_asks(words: list[str], *, ends_with_question_mark: bool) -> ReplyKind:
    """A request, a question or nothing, for one clause's expanded words."""
    addressed = bool(ADDRESS.intersection(words))
    words = [w for w in words if w != "@user" and not w.startswith("emo_")]
    if not words:
        return ReplyKind.NONE
    pairs = _bigrams(words)
    if REQUEST_WORDS.intersection(words) or REQUEST_BIGRAMS & pairs or words in (["help"],
                                                                                ["tolong"]):
        return ReplyKind.REQUEST
    if " ".join(words[:2]) in RHETORICAL or (
        not addressed and (CROWD.intersection(words) or CROWD_BIGRAMS & pairs)
    ):
        return ReplyKind.NONE
    while len(words) > 1 and words[-1] in TRAILING:
        words = words[:-1]
    if QUESTION_BIGRAMS & pairs:
        return ReplyKind.QUESTION
    while len(words) > 2 and words[0] in GREETINGS:
        words = words[1:]
    first = words[0]
    if first in EN_WH and len(words) > 2 and (words[1] in EN_AUX or words[1] in {"time", "to"}):
        return ReplyKind.QUESTION
    if first in EN_AUX and len(words) > 2 and words[1] in AUX_SUBJECTS:
        # "is it…", "can the…" without a "?" is as often a statement; "can I…", "do you…" ask.
        asking = ends_with_question_mark or first not in {"is", "can"} or words[1] in PEOPLE
        return ReplyKind.QUESTION if asking else ReplyKind.NONE
    if ID_QUESTION.intersection(words) and (ends_with_question_mark or len(words) > 2):
        return ReplyKind.QUESTION
    if YES_NO_HEADS.intersection(words[:-1]) and words[-1] in YES_NO_TAILS:
        return ReplyKind.QUESTION
    if ends_with_question_mark and (
        first in EN_WH or first in EN_AUX or words[-1] in QUESTION_TAGS
        or addressed
    ):
        return ReplyKind.QUESTION
    return ReplyKind.NONE


def asks(text: str) -> ReplyKind:
    """QUESTION if any clause asks the brand something, else REQUEST if any asks it to act,
    else NONE."""
    found = ReplyKind.NONE
    for body, ending in _CLAUSE.findall(text[:1000]):
        _, tokens = tokenise(body)
        kind = _clause_asks(tokens.words, ends_with_question_mark="?" in ending)
        if kind is ReplyKind.QUESTION:
            return kind
        if kind is ReplyKind.REQUEST:
            found = kind
    return found


def reply_kind(text: str, *, is_complaint: bool, is_spam: bool = False,
               is_brand_reply: bool = False) -> ReplyKind:
    """What the mention waits for from the brand: its most urgent kind, or NONE. The brand's own
    replies and spam wait for nothing."""
    if is_brand_reply or is_spam:
        return ReplyKind.NONE
    if is_complaint:
        return ReplyKind.COMPLAINT
    return asks(text)
