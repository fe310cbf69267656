"""What the engine understands of Indonesian, Malay and English mentions, and of bad input."""

from __future__ import annotations

import json

import pytest

from listening.analysis.base import Analysis
from listening.analysis.engine import EngineClassifier
from listening.analysis.engine.model import DEFAULT_WEIGHTS
from listening.analysis.engine.spam import promo_phrases
from listening.analysis.engine.text import MAX_CHARS, tokenise

ABBREVIATED_COMPLAINT = (
    "@telkomsel sinyal ilang terus dr kmrn, udh lapor 2x blm ada respon jd gmn dong??"
)


@pytest.fixture(scope="module")
def engine() -> EngineClassifier:
    return EngineClassifier()


def test_it_expands_slang_and_stretched_words() -> None:
    norm, tk = tokenise("blm tlh gmn utk hrs yg dgn gak ga nggak bgt udh sdh kmrn bangettt")
    assert norm == ("belum telah gimana untuk harus yang dengan tidak tidak tidak banget "
                    "sudah sudah kemarin banget")
    assert tk.lang == "id"


def test_it_names_emoji_in_the_normalised_text() -> None:
    norm, tk = tokenise("mantap 😍👍")
    assert norm == "mantap :love: :thumbs_up:"
    assert "emo_love" in tk.words


def test_it_reads_hrs_as_hours_in_english() -> None:
    norm, _ = tokenise("I have been waiting for 3 hrs and nobody picked up the phone")
    assert "hours" in norm.split()


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (ABBREVIATED_COMPLAINT, "id"),
        ("Kenapa lah servis korang teruk sangat, dah seminggu tak boleh guna", "ms"),
        ("Salam Cityiklan Iklancoffee andaforex iklan percuma Online Malaysia", "ms"),
        ("My order still hasn't arrived and nobody answers the phone", "en"),
        ("😂😂😂", "other"),
    ],
)
def test_it_detects_the_language(engine: EngineClassifier, text: str, lang: str) -> None:
    assert engine.classify(text).lang == lang


def test_an_abbreviated_indonesian_complaint_is_a_complaint_not_spam(
    engine: EngineClassifier,
) -> None:
    a = engine.classify(ABBREVIATED_COMPLAINT)
    assert a.is_complaint
    assert not a.is_spam
    assert a.intent == "complaint"
    assert a.sentiment == "negative"
    assert a.sentiment_score < 0
    assert "belum" in a.evidence or "lapor" in a.evidence
    assert "sinyal hilang terus dari kemarin sudah lapor" in a.normalised_text


@pytest.mark.parametrize(
    "text",
    [
        "Salam Cityiklan Iklancoffee andaforex iklan percuma Online Malaysia",
        "JUAL followers murah, wa 081234567890",
        "Check out my channel and subscribe http://bit.ly/xyz free giveaway!!",
    ],
)
def test_it_flags_advert_spam(engine: EngineClassifier, text: str) -> None:
    a = engine.classify(text)
    assert a.is_spam
    assert not a.is_complaint


def test_a_malay_complaint_is_a_complaint(engine: EngineClassifier) -> None:
    a = engine.classify("Kenapa lah servis korang teruk sangat, dah seminggu tak boleh guna")
    assert a.is_complaint
    assert not a.is_spam
    assert a.sentiment == "negative"


def test_an_english_complaint_names_its_evidence(engine: EngineClassifier) -> None:
    a = engine.classify("@united still waiting for my refund, 3 weeks and no response. Useless")
    assert a.is_complaint
    assert a.intent == "complaint"
    assert 0.5 < a.complaint_confidence <= 1
    assert "still waiting" in a.evidence


@pytest.mark.parametrize(
    ("text", "sentiment"),
    [
        ("makanannya enak banget, pelayanan ramah, pasti balik lagi", "positive"),
        ("pelayanan buruk, makanan basi, sangat mengecewakan", "negative"),
        ("Thank you so much, the support team was amazing!", "positive"),
    ],
)
def test_it_reads_sentiment(engine: EngineClassifier, text: str, sentiment: str) -> None:
    a = engine.classify(text)
    assert a.sentiment == sentiment
    assert (a.sentiment_score > 0) == (sentiment == "positive")


def test_praise_and_questions_have_their_intent(engine: EngineClassifier) -> None:
    assert engine.classify("Love the new app, great job team!").intent == "praise"
    assert engine.classify("@bca kak, jam buka cabang hari sabtu jam berapa ya?").intent == (
        "question"
    )


@pytest.mark.parametrize(
    "text",
    [
        "", "   ", None, b"\xff\xfe\x00bytes", 12345, "😡" * 50, "http://a.b/c https://x.y",
        "a" * 100_000, "x." * 50_000, "<" * 10_000, "&" * 10_000, "\ud800 lone surrogate",
        "itâ€™s broken again", "\x00\x01\x02 control", "ﾃｽﾄ 全角 テスト", "@" * 5_000,
        "bagus but the delivery was so late lah, tak best", "#" * 3_000 + "!?" * 3_000,
    ],
)
def test_it_gives_a_defined_result_for_bad_input(engine: EngineClassifier, text: object) -> None:
    a = engine.classify(text)  # type: ignore[arg-type]  # on purpose: not always a str
    assert isinstance(a, Analysis)
    assert a.lang in {"en", "id", "ms", "other"}
    assert a.sentiment in {"positive", "neutral", "negative"}
    assert a.intent in {"complaint", "question", "praise", "other"}
    assert -1 <= a.sentiment_score <= 1
    assert 0 <= a.complaint_confidence <= 1
    assert len(a.normalised_text) <= 4 * MAX_CHARS


def test_empty_text_is_neutral_other_and_not_flagged(engine: EngineClassifier) -> None:
    a = engine.classify("")
    assert (a.lang, a.sentiment, a.intent, a.is_complaint, a.is_spam) == (
        "other", "neutral", "other", False, False,
    )


def test_it_repairs_mojibake() -> None:
    assert tokenise("itâ€™s")[0] == "it’s"


def test_classify_many_matches_classify(engine: EngineClassifier) -> None:
    texts = [ABBREVIATED_COMPLAINT, "", "Love it!", "JUAL followers murah, wa 081234567890"]
    assert engine.classify_many(texts) == [engine.classify(t) for t in texts]
    assert engine.classify_many([]) == []


@pytest.mark.parametrize("text", [
    "hari ini pake modem Warung Rasa, biasa aja sih",  # "just ordinary": criticism, no grievance
    "Warung Rasa sama yg sebelah sama aja sih menurutku",
    "bayar pake paylater bisa gak min?",  # "can I pay with paylater?"
    "been with Warung Rasa for 3 years, never disappointed",
    "dah 3 tahun guna Warung Rasa, memang tak menyesal",
])
def test_negative_tone_or_a_negated_grievance_alone_is_not_a_complaint(text):
    assert not EngineClassifier().classify(text).is_complaint


def test_a_grievance_with_a_service_failure_still_is_a_complaint_in_every_language():
    engine = EngineClassifier()
    for text in ("parcel aku hilang, tracking tak update dah seminggu",
                 "@telkomsel sinyal ilang terus dr kmrn, udh lapor 2x blm ada respon jd gmn dong??",
                 "still waiting on my refund, 3 weeks now. nobody answers"):
        assert engine.classify(text).is_complaint, text


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("check out my new channel please", {"self_promotion", "solicitation"}),
        ("See my latest track, link in bio", {"self_promotion"}),
        ("like this comment if you are watching in 2015", {"engagement_bait"}),
        ("Follow 4 Follow, like 4 like", {"engagement_bait"}),
        ("@AmazonHelp sent a DM, please check my account", set()),
        ("my order is late and nobody answers", set()),
        ("might check out the prepaid sim at Acme tomorrow", set()),
        ("Check me out, I rap", {"solicitation"}),
    ],
)
def test_it_names_self_promotion_and_engagement_bait(text: str, kinds: set[str]) -> None:
    assert promo_phrases(tokenise(text)[1].words) == kinds


def test_a_link_to_a_post_on_a_platform_is_told_from_one_off_it() -> None:
    shared = tokenise("Roar (Official): http://youtu.be/CevxZvSJLk8 and https://t.co/3APTgpquXp")[1]
    advert = tokenise("earn money http://marketglory.com/strategygame/x")[1]
    assert (shared.n_links, shared.n_platform_links) == (2, 2)
    assert (advert.n_links, advert.n_platform_links) == (1, 0)


@pytest.mark.parametrize(
    "text",
    [
        "Hey guys check out my new channel and please subscribe!!!",
        "like this comment if you're watching in 2015",
        "Get free gift cards here http://freegiftz.biz/win",
    ],
)
def test_it_flags_self_promotion_and_comment_spam(engine: EngineClassifier, text: str) -> None:
    assert engine.classify(text).is_spam


@pytest.mark.parametrize(
    "text",
    [
        "@Lowes Do you price match https://t.co/6lF8QfA9f0? I'm getting conflicting answers.",
        "Hey @BN_care why is this happening? https://t.co/Ze039akyl2",
        "@HarrodsService I can't shop online, your website doesn't load. Help!",
        "Katy Perry - Roar (Official): http://youtu.be/CevxZvSJLk8",
    ],
)
def test_customer_tweets_and_shared_videos_are_not_spam(engine: EngineClassifier, text: str) -> None:
    assert not engine.classify(text).is_spam


def test_weights_for_other_spam_signals_are_refused(tmp_path) -> None:
    data = json.loads(DEFAULT_WEIGHTS.read_text(encoding="utf-8"))
    data["tasks"]["spam"]["dense"]["names"] = ["an_old_signal"]
    data["tasks"]["spam"]["dense"]["weights"] = [1.0]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="retrain"):
        EngineClassifier(path)


def test_an_order_or_case_number_is_not_a_phone_number() -> None:
    case = tokenise("@AWSSupport Sure. Case ID: 2230311591, order 3264677178. Thanks")[1]
    advert = tokenise("JUAL followers murah, wa 0812 3456 7890 atau +60 12-345 6789")[1]
    assert case.n_phones == 0
    assert "<num>" in case.words
    assert advert.n_phones == 2
