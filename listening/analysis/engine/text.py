"""From whatever arrived to a clean token list: coercion, caps, emoji, slang, language.

Every regular expression here is linear in its input (no nested quantifiers, no unbounded
look-around), and the input is capped before any of them runs.
"""

from __future__ import annotations

import contextlib
import html
import re
import unicodedata
from dataclasses import dataclass

from listening.analysis.engine import lexicons as lx

# Mentions are short; past this the rest adds cost and no meaning.
MAX_CHARS = 1_000

_TOKEN = re.compile(
    r"https?://\S+|www\.\S+"  # links
    r"|[@#][^\W_][\w.]*"  # mentions, hashtags
    r"|emo_[a-z_]+"  # emoji, already named
    r"|[^\W_]+(?:['’][^\W_]+)?"  # words, numbers (any script), with one apostrophe
    r"|[?!]"
)
# Bare domains ("cityiklan.com", "bit.ly/x"), not inside a link already; \w+ starts only
# at word starts.
_DOMAIN = re.compile(
    r"(?<![/.\w])\w+\.(?:com|net|org|ly|info|biz|xyz|co|id|my|io|me|gl|tk|site|online|shop)\b(?:/\S*)?"
)
# A link to a post on a video or social platform: what sharing looks like, where an advert links
# off the platform. Twitter wraps every link and attached photo in t.co, so there a link says
# nothing about where it leads.
_PLATFORM_LINK = re.compile(
    r"https?://(?:www\.|m\.)?(?:youtu\.be/|youtube\.com/(?:watch|shorts/)|t\.co/"
    r"|(?:twitter|x)\.com/\w+/status/|instagram\.com/(?:p|reel)/|tiktok\.com/@[\w.]+/video/)"
)
# Indonesian / Malaysian phone numbers written in groups ("0812 3456 7890", "+60 12-345 6789");
# the repetition is bounded, so this stays linear.
_PHONE = re.compile(r"(?<!\d)(?:\+?62|\+?60|0)[\s-]?\d{2,4}(?:[\s-]?\d){6,10}(?!\d)")
_STRETCH = re.compile(r"([^\W\d_])\1{2,}")
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2300-\u23ff\u2b00-\u2bff\ufe0f\u200d\u2764\u2665]"
)
_EMOTICON = re.compile(r"(?<![\w/]):'?-?[()d]|<3|\^_?\^|-_-")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200c\u200e\u200f\ufeff]")
_EMO_WORD = re.compile(r"\bemo_([a-z_]+)")
_MOJIBAKE = ("Ã", "â€", "Â", "ðŸ")
_TAG = re.compile(r"<[^<>]{0,300}>")  # HTML from scraped sources; bounded, so linear


@dataclass(slots=True)
class Tokens:
    """One text, taken apart."""

    raw: list[str]  # lower-cased tokens as written (stretches collapsed)
    words: list[str]  # slang expanded, markers for links, mentions, numbers, emoji
    lang: str
    n_links: int
    n_mentions: int
    n_phones: int
    n_exclaim: int
    n_question: int
    n_upper_words: int
    n_chars: int
    n_platform_links: int  # links to a post on a video or social platform, not off it
    # Where each "?" stands: the number of words before it ("udah masuk belum?" -> [3]).
    question_marks: tuple[int, ...] = ()


def coerce(text: object) -> str:
    """Any input to a capped, decodable, control-free ``str``; never raises."""
    if text is None:
        return ""
    if isinstance(text, bytes | bytearray | memoryview):
        text = bytes(text[: MAX_CHARS * 4]).decode("utf-8", errors="replace")
    elif not isinstance(text, str):
        text = str(text)
    text = text[:MAX_CHARS]
    if not text.isascii():
        if any(m in text for m in _MOJIBAKE):
            # UTF-8 read as cp1252 somewhere upstream ("itâ€™s"): undo it.
            with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
                text = text.encode("cp1252").decode("utf-8")
        # Lone surrogates (from broken JSON) cannot be encoded anywhere downstream.
        text = text.encode("utf-8", errors="replace").decode("utf-8")
        text = unicodedata.normalize("NFKC", text)
    if "&" in text:
        text = html.unescape(text)
    if "<" in text and ">" in text:
        text = _TAG.sub(" ", text)
    if _CONTROL.search(text):
        text = _CONTROL.sub(" ", text)
    return text


def _emoji_name(match: re.Match[str]) -> str:
    name = lx.EMOJI.get(match.group())
    return f" emo_{name} " if name else " "


def _emoticon_name(match: re.Match[str]) -> str:
    return f" emo_{lx.EMOTICONS.get(match.group(), 'face')} "


_KNOWN = (
    frozenset(lx.SLANG) | frozenset(lx.SLANG.values()) | frozenset(lx.SENTIMENT)
    | frozenset(lx.COMPLAINT_CUES) | lx.EN_WORDS | lx.ID_WORDS | lx.MS_ONLY
    | frozenset(lx.SPAM_CUES) | lx.QUESTION_WORDS | {"good", "cool", "soon", "too", "see"}
)


def _unstretch(word: str) -> str:
    """"bangettt" -> "banget", "gooood" -> "good", "sooo" -> "so"."""
    double = _STRETCH.sub(r"\1\1", word)
    if double in _KNOWN:
        return double
    return _STRETCH.sub(r"\1", word)


def detect_language(raw: list[str], words: list[str]) -> str:
    en = idn = ms_strong = id_strong = 0
    for w in raw:
        if w in lx.EN_WORDS:
            en += 1
        if w in lx.MS_STRONG:
            ms_strong += 1
        if w in lx.ID_STRONG:
            id_strong += 1
    for w in words:
        if w in lx.ID_WORDS or w in lx.MS_ONLY:
            idn += 1
    return _language(en, idn, ms_strong, id_strong)


def _language(en: int, idn: int, ms_strong: int, id_strong: int) -> str:
    family = idn + id_strong + ms_strong
    if en == 0 and family == 0:
        return "other"
    if en > family:
        return "en"
    return "ms" if ms_strong > id_strong else "id"


# What one token contributes, by kind; the kinds that only count are not words.
_WORD, _LINK, _MENTION, _PHONE_NUM, _QUESTION, _EXCLAIM = range(6)
_CACHE_SIZE = 100_000
# token -> (kind, raw form, word, English?, Indonesian/Malay word?, Malay-strong?,
# Indonesian-strong?). Social text repeats its tokens, so most of a batch is dictionary hits.
_token_cache: dict[str, tuple[int, str, str, bool, bool, bool, bool]] = {}


def _read_token(tok: str) -> tuple[int, str, str, bool, bool, bool, bool]:
    kind, raw, word = _kind_of(tok)
    return (
        kind, raw, word, raw in lx.EN_WORDS, word in lx.ID_WORDS or word in lx.MS_ONLY,
        raw in lx.MS_STRONG, raw in lx.ID_STRONG,
    )


def _kind_of(tok: str) -> tuple[int, str, str]:
    c = tok[0]
    if (c == "h" and tok.startswith("http")) or (c == "w" and tok.startswith("www")):
        return _LINK, "<url>", "<url>"
    if c == "@":
        return _MENTION, tok, "@user"
    if c == "?":
        return _QUESTION, "", ""
    if c == "!":
        return _EXCLAIM, "", ""
    if c == "#":
        tok = tok[1:]
    elif c.isdigit():
        if tok.isdigit():
            # A long number is a phone where phones look like ours (0…, 62…, 60…); otherwise it
            # is an order, case or account number, which customers quote to brands all the time.
            if len(tok) >= 9 and tok.startswith(("0", "62", "60")):
                return _PHONE_NUM, tok, "<phone>"
            return _WORD, tok, "<num>"
        if tok not in lx.SLANG and len(tok) <= 3:  # "2x", "3hr"; but "2day", "b4" are slang
            return _WORD, tok, "<num>"
    if _STRETCH.search(tok):
        tok = _unstretch(tok)
    if tok[-1] == "2" and len(tok) > 3 and tok[:-1].isalpha() and tok not in lx.SLANG:
        # Reduplication written with a 2 ("putus2", "muter2", "bales2"): the word itself.
        tok = tok[:-1]
    return _WORD, tok, lx.SLANG.get(tok, tok)


def tokenise(text: object) -> tuple[str, Tokens]:
    """The cleaned text and its tokens. The cleaned text is what users see as "normalised"."""
    text = coerce(text)
    n_chars = len(text)
    lowered = text.lower()
    # Only a text with capitals can have words in capitals (most have none).
    n_upper = 0 if lowered == text else sum(
        1 for w in text.split() if len(w) > 2 and w.isupper()
    )
    text = lowered
    if not text.isascii():
        text = _EMOJI.sub(_emoji_name, text)
    if ":" in text or "<" in text or "^" in text or "_" in text:
        text = _EMOTICON.sub(_emoticon_name, text)
    if "." in text:
        text = _DOMAIN.sub(" http://domain ", text)
    if "0" in text or "6" in text:
        text = _PHONE.sub(" 000000000 ", text)

    words: list[str] = []
    out_raw: list[str] = []
    counts = [0, 0, 0, 0, 0, 0]  # per kind
    n_platform = 0
    marks: list[int] = []
    en = idn = ms_strong = id_strong = 0
    cache = _token_cache
    for tok in _TOKEN.findall(text):
        read = cache.get(tok)
        if read is None:
            if len(cache) >= _CACHE_SIZE:
                cache.clear()
            read = cache[tok] = _read_token(tok)
        kind, raw, word, is_en, is_idn, is_ms, is_id = read
        counts[kind] += 1
        if kind == _LINK and _PLATFORM_LINK.match(tok):
            n_platform += 1
        if kind >= _QUESTION:
            # "?" marks by position, "!" as -1; "??" is one mark (dropped below)
            marks.append(len(words) if kind == _QUESTION else -1)
            continue
        out_raw.append(raw)
        words.append(word)
        en += is_en
        idn += is_idn
        ms_strong += is_ms
        id_strong += is_id
    lang = _language(en, idn, ms_strong, id_strong)
    if lang == "en":
        over = lx.EN_SLANG_OVERRIDE
        words = [over.get(r, w) if r in over else w for r, w in zip(out_raw, words, strict=True)]
    norm = " ".join(words)
    if "emo_" in norm:
        norm = _EMO_WORD.sub(r":\1:", norm)
    return norm, Tokens(
        raw=out_raw, words=words, lang=lang, n_links=counts[_LINK],
        n_mentions=counts[_MENTION], n_phones=counts[_PHONE_NUM],
        n_exclaim=counts[_EXCLAIM], n_question=counts[_QUESTION],
        n_upper_words=n_upper, n_chars=n_chars, n_platform_links=n_platform,
        question_marks=tuple(sorted({m for m in marks if m >= 0})),
    )
