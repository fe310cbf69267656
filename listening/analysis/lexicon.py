"""A first, rule-based classifier for English and informal Indonesian and Malay.

Deliberately simple and fast: word lists and a few patterns. It is the default until a measured
model replaces it; its job now is to give the pipeline and the flags sensible input.
"""

from __future__ import annotations

import re

from listening.analysis.base import Analysis
from listening.analysis.engine.lexicons import QUESTION_CUES, SLANG, SLANG_ID_MS

MAX_CHARS = 2_000

_WORD = re.compile(r"[a-z0-9']+")
_STRETCH = re.compile(r"([a-z])\1{2,}")
_PHONE = re.compile(r"(?:\+?62|\+?60|0)8?\d[\d\s-]{7,}")
_LINK = re.compile(r"https?://|www\.|bit\.ly|\.com\b")

NEGATIVE = {
    # English
    "worst", "terrible", "awful", "bad", "broken", "refund", "never", "still", "waiting",
    "disappointed", "disappointing", "useless", "horrible", "scam", "angry", "cancel",
    "cancelled", "delayed", "delay", "late", "lost", "missing", "fail", "failed", "failing",
    "error", "down", "outage", "slow", "charged", "overcharged", "rude", "unacceptable",
    "ridiculous", "hate", "poor", "problem", "issue", "complaint", "nobody", "ignored", "wrong",
    # Indonesian / Malay
    "kecewa", "parah", "lambat", "lemot", "rusak", "hilang", "ilang", "gangguan", "buruk", "jelek",
    "mengecewakan", "kapok", "tipu", "penipu", "komplain", "lapor",
    "belum", "tidak", "mati", "putus", "lelet", "telat", "terlambat", "marah",
    "kesal", "kesel", "payah", "ampun", "susah", "gagal", "rosak", "teruk", "hampeh", "lembap",
    "tolong", "respon", "respons", "balas", "dibalas",
}
POSITIVE = {
    "love", "great", "thanks", "thank", "awesome", "amazing", "best", "good", "nice",
    "excellent", "happy", "fast", "helpful", "recommend", "perfect", "fantastic", "wow",
    "mantap", "mantul", "keren", "bagus", "puas", "cepat", "terima", "kasih", "makasih",
    "suka", "senang", "hebat", "recommended", "top", "sedap", "terbaik", "gercep",
    "ramah", "memuaskan", "sukses",
}
COMPLAINT_CUES = {
    "still", "waiting", "refund", "never", "nobody", "ignored", "broken", "lost", "missing",
    "cancel", "charged", "overcharged", "worst", "unacceptable", "disappointed", "fix",
    "belum", "lapor", "komplain", "hilang", "ilang", "gangguan", "rusak", "lemot", "lambat",
    "telat", "terlambat", "kecewa", "respon", "dibalas", "balas", "gagal", "rosak", "teruk",
    "tolong", "kapan", "mana", "kenapa", "hampeh", "lembap", "mati", "putus",
}
SPAM_CUES = {"iklan", "percuma", "jual", "murah", "followers", "promo", "diskon", "giveaway",
             "subscribe", "forex", "slot", "gacor", "pinjaman", "dm", "order", "wa", "whatsapp",
             "free", "click", "check", "channel", "win", "cheap", "buy", "join", "dapatkan"}

EN_WORDS = {"the", "and", "is", "my", "you", "your", "for", "not", "this", "have", "was", "are",
            "with", "it", "to", "of", "i", "please", "still", "been", "no", "what", "why", "thanks"}
ID_WORDS = {"yang", "tidak", "sudah", "belum", "dari", "untuk", "saya", "aku", "gimana",
            "banget", "dengan", "jadi", "kenapa", "kok", "dong", "sih", "nih", "kak", "gan",
            "min", "admin", "terus", "kemarin", "lagi", "sama", "bisa", "ini", "itu", "ada"}
MS_ONLY = {"nak", "je", "kat", "korang", "macam", "sebab", "lah", "percuma", "teruk", "hampeh",
           "lembap", "rosak", "dekat", "tu", "ni"}


def detect_language(raw_words: list[str], words: list[str]) -> str:
    en = sum(w in EN_WORDS for w in words)
    # Indonesian and Malay slang is evidence; English chat ("u", "pls", "thx") is not.
    indo = sum(w in ID_WORDS for w in words) + sum(w in SLANG_ID_MS for w in raw_words)
    ms = sum(w in MS_ONLY for w in raw_words + words)
    if en == 0 and indo == 0 and ms == 0:
        return "other"
    if ms >= 2 and ms >= en:
        return "ms"
    if indo > en:
        return "id"
    return "en"


class LexiconClassifier:
    def classify(self, text: str) -> Analysis:
        raw = text[:MAX_CHARS] if isinstance(text, str) else ""
        lowered = raw.lower()
        raw_words = _WORD.findall(_STRETCH.sub(r"\1", lowered))
        norm = " ".join(SLANG.get(w, w) for w in raw_words)
        words = norm.split()
        lang = detect_language(raw_words, words)

        neg = [w for w in words if w in NEGATIVE]
        pos = [w for w in words if w in POSITIVE]
        total = len(neg) + len(pos)
        score = 0.0 if total == 0 else (len(pos) - len(neg)) / total
        if "!" in raw and score:
            score = max(-1.0, min(1.0, score * 1.2))
        sentiment = "negative" if score < -0.2 else "positive" if score > 0.2 else "neutral"

        spam_hits = [w for w in words if w in SPAM_CUES]
        has_contact = bool(_PHONE.search(lowered)) or bool(_LINK.search(lowered))
        is_spam = (len(spam_hits) >= 2 and has_contact) or len(spam_hits) >= 3

        cues = [w for w in words if w in COMPLAINT_CUES]
        strength = len(cues) + (1 if sentiment == "negative" else 0) + raw.count("??")
        confidence = min(1.0, strength / 4)
        is_complaint = not is_spam and strength >= 2 and sentiment != "positive"

        question = "?" in raw or any(w in QUESTION_CUES for w in words[:2])
        if is_complaint:
            intent = "complaint"
        elif sentiment == "positive":
            intent = "praise"
        elif question:
            intent = "question"
        else:
            intent = "other"
        return Analysis(
            lang=lang,
            sentiment_score=round(score, 3),
            sentiment=sentiment,
            intent=intent,
            is_complaint=is_complaint,
            complaint_confidence=round(confidence if is_complaint else 1 - confidence, 3),
            is_spam=is_spam,
            normalised_text=norm,
            evidence=tuple(dict.fromkeys(cues))[:5],
        )

    def classify_many(self, texts: list[str]) -> list[Analysis]:
        return [self.classify(t) for t in texts]
