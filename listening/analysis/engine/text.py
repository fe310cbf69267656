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
from math import exp as _exp

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
    lang_confidence: float = 1.0  # 0 .. 1; see identify()


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
    | frozenset(lx.SPAM_CUES) | lx.QUESTION_WORDS | frozenset(lx.MS_EVIDENCE)
    | frozenset(lx.ID_EVIDENCE) | {"good", "cool", "soon", "too", "see"}
)
# Any word of Malay or Indonesian the lists know, raw or expanded, but English ("tq" is
# "thanks" to both).
_FAMILY_WORDS = (
    frozenset(lx.SLANG_ID_MS) | frozenset(lx.SLANG_ID_MS.values()) | lx.ID_WORDS | lx.MS_ONLY
    | frozenset(lx.MS_EVIDENCE) | frozenset(lx.ID_EVIDENCE)
) - lx.EN_WORDS


def _unstretch(word: str) -> str:
    """"bangettt" -> "banget", "gooood" -> "good", "sooo" -> "so"."""
    double = _STRETCH.sub(r"\1\1", word)
    if double in _KNOWN:
        return double
    return _STRETCH.sub(r"\1", word)


def detect_language(raw: list[str], words: list[str]) -> str:
    """The language of a text already taken apart: en, id, ms or other."""
    en = fam = ms = idn = 0.0
    for r, w in zip(raw, words, strict=True):
        e, f, m, i = _evidence(r, w)
        en += e
        fam += f
        ms += m
        idn += i
    return identify(en, fam, ms, idn)[0]


_MS_E_SPELLINGS = frozenset(
    w[:-1] + "e" for w in _FAMILY_WORDS
    if len(w) >= 3 and w.endswith("a") and w.isalpha() and w[:-1] + "e" not in _FAMILY_WORDS
) - {"same", "cube"}  # English words

# Affixes of Malay and Indonesian words ("pelayanannya", "dikirimkan", "berharap"): a word the
# lists do not know, shaped so, still counts half a word of the family.
_FAMILY_SUFFIXES = ("nya", "nye", "kan")
_FAMILY_PREFIXES = ("ber", "meng", "meny", "mem", "men", "di", "ter", "pe", "ke")


def _evidence(raw: str, word: str) -> tuple[float, float, float, float]:
    """What one token says of the language: English, the Malay/Indonesian family (any word of
    it), Malay over Indonesian, Indonesian over Malay."""
    en = 1.0 if raw in lx.EN_WORDS else 0.0
    ms = lx.MS_EVIDENCE.get(raw, 0.0)
    idn = lx.ID_EVIDENCE.get(raw, 0.0)
    if not (en or ms or idn) and len(raw) > 2:
        if raw[0] == "x" and raw[1:] in _FAMILY_WORDS:
            ms = 1.5  # Malay writes "tak" as x: xde, xleh, xnak, xtau
        elif raw.endswith(("ej", "iti")) and len(raw) >= 4:
            ms = 1.0  # Malay spelling of loans: pakej, mesej, imej; kualiti, universiti
        elif raw.endswith("itas") and len(raw) >= 6:
            idn = 1.0  # Indonesian spelling of the same: kualitas, fasilitas, komunitas
        elif raw in _MS_E_SPELLINGS:
            ms = 1.0  # Malay speech spelt: final a as e (ape, ade, bile, saye, kite)
        elif raw.startswith("ng") and len(raw) >= 5 and raw not in _FAMILY_WORDS:
            idn = 1.0  # Indonesian speech: the bare nasal prefix (ngirim, ngasih, ngurus)
        elif raw.endswith("in") and raw[:-2] in _FAMILY_WORDS:
            idn = 1.5  # Indonesian speech: -in for -kan/-i (nungguin, bikinin, beliin)
    if en:
        fam = 0.0
    elif word in lx.ID_WORDS or word in lx.MS_ONLY or raw in _FAMILY_WORDS:
        fam = 1.0
    elif (
        len(raw) >= 6 and raw.isalpha()
        and (raw.endswith(_FAMILY_SUFFIXES)
             or (raw.startswith(_FAMILY_PREFIXES) and raw.endswith(("an", "kan", "i"))))
    ):
        fam = 0.5
    else:
        fam = 0.0
    return en, fam, ms, idn


def identify(en: float, fam: float, ms: float, idn: float) -> tuple[str, float]:
    """The language from the evidence of a text's tokens, and how sure: the probability of the
    family (or of English), times that of Malay or Indonesian within it; 0.5 for ``other``.

    English wins when its words weigh at least as much as the family's (any Malay or Indonesian
    word, plus what tells the two apart, so that "lah", "je", "kat", "tak", "gak", "sih" weigh
    more than one English word each: Manglish and Indonesian with English in it stay in the
    family); between Malay and Indonesian, the weighted evidence decides, Indonesian on a tie.
    Text with no evidence either way is ``other``. Each exponent is at most 0: no overflow.
    """
    family = fam + ms + idn
    if family <= en:
        if not en:
            return "other", 0.5
        return "en", round(1.0 / (1.0 + _exp(family - en)), 2)
    p_family = 1.0 / (1.0 + _exp(en - family))
    if ms > idn:
        return "ms", round(p_family / (1.0 + _exp(idn - ms)), 2)
    return "id", round(p_family / (1.0 + _exp(ms - idn)), 2)


# What one token contributes, by kind; the kinds that only count are not words.
_WORD, _LINK, _MENTION, _PHONE_NUM, _QUESTION, _EXCLAIM = range(6)
_CACHE_SIZE = 100_000
# token -> (kind, raw form, word, then its evidence: English, family, Malay, Indonesian, in
# halves; see _evidence). Social text repeats its tokens, so most of a batch is dictionary hits;
# whole numbers, because adding small ints allocates nothing.
_token_cache: dict[str, tuple[int, str, str, int, int, int, int]] = {}


def _read_token(tok: str) -> tuple[int, str, str, int, int, int, int]:
    kind, raw, word = _kind_of(tok)
    if kind != _WORD or word == "<num>":
        return kind, raw, word, 0, 0, 0, 0
    e, f, m, i = _evidence(raw, word)
    return kind, raw, word, round(2 * e), round(2 * f), round(2 * m), round(2 * i)


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


def _decide(
    raw: list[str], marks: list[int], en: int, fam: int, ms: int, idn: int
) -> tuple[str, float]:
    """identify() over the tokens' evidence (in halves) and what only the sentence shows."""
    if not (en or fam or ms or idn):
        if all(r.startswith(("emo_", "<", "@")) or not r.isalpha() for r in raw):
            return "other", 1.0  # nothing written in any language: emoji, links, names, numbers
        return "other", 0.5
    if "ke" in raw and (
        raw[-1] == "ke" or any(0 < m <= len(raw) and raw[m - 1] == "ke" for m in marks)
    ):
        # "ke" that ends the text or a question is Malay's question particle ("betul ke?",
        # "ada stok ke"); Indonesian's "ke" (to) always has a place after it.
        ms += 3
    return identify(en / 2, fam / 2, ms / 2, idn / 2)


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
    en = fam = ms = idn = 0
    cache = _token_cache
    for tok in _TOKEN.findall(text):
        read = cache.get(tok)
        if read is None:
            if len(cache) >= _CACHE_SIZE:
                cache.clear()
            read = cache[tok] = _read_token(tok)
        kind, raw, word, e, f, m, i = read
        counts[kind] += 1
        if kind == _LINK and _PLATFORM_LINK.match(tok):
            n_platform += 1
        if kind >= _QUESTION:
            # "?" marks by position, "!" as -1; "??" is one mark (dropped below)
            marks.append(len(words) if kind == _QUESTION else -1)
            continue
        out_raw.append(raw)
        words.append(word)
        en += e
        fam += f
        ms += m
        idn += i
    lang, lang_confidence = _decide(out_raw, marks, en, fam, ms, idn)
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
        lang_confidence=lang_confidence,
    )
