"""The engine's second reading: problems put right, questions for information, waiting for a
person, plans and chat, and shopping talk that is no advert, in English, Indonesian and Malay."""

from __future__ import annotations

import pytest

from listening.analysis.engine import EngineClassifier
from listening.analysis.engine.classifier import lexicon_sentiment
from listening.analysis.engine.pragmatics import resolution_at, tag_negators
from listening.analysis.engine.text import tokenise


@pytest.fixture(scope="module")
def engine() -> EngineClassifier:
    return EngineClassifier()


@pytest.mark.parametrize("text", [
    "makasih ya min, masalahnya udh beres cepet bgt 🔥",
    "alhamdulillah refund sudah masuk, makasih cs",
    "tadi gak bisa login, tapi sekarang udah normal lagi. mantap",
    "akhirnya paket nyampe juga, makasih kurirnya",
    "dah settle dah isu bil, terima kasih",
    "thanks @acme, my internet is finally fixed",
    "Thank you for resolving my issue so quickly!",
])
def test_a_problem_put_right_is_praise_not_a_complaint(engine: EngineClassifier, text: str) -> None:
    a = engine.classify(text)
    assert not a.is_complaint
    assert a.sentiment == "positive"
    assert a.sentiment_score > 0


@pytest.mark.parametrize("text", [
    "udah 3 hari belum beres juga, gimana sih??",
    "katanya sudah diperbaiki tapi sinyal masih hilang",
    "masalahnya belum teratasi sampai sekarang, kecewa",
    "when will this be fixed? been waiting 3 days",
    "they said it was fixed but it's still not working",
    "please get this sorted, my order is 2 weeks late",
])
def test_a_problem_not_put_right_yet_is_still_a_complaint(engine: EngineClassifier, text: str) -> None:
    a = engine.classify(text)
    assert a.is_complaint
    assert a.sentiment == "negative"


@pytest.mark.parametrize(("text", "resolved"), [
    ("masalahnya sudah beres", True),
    ("biar cepat beres", False),  # a wish
    ("belum juga beres", False),  # a denial
    ("udah beres tapi error lagi", False),  # taken back
    ("gak bisa login, sekarang udah normal", False),  # a failure told before, not turned
    ("gak bisa login tadi, tapi sekarang udah normal", True),
    ("support fixed it in ten minutes", True),
    ("it needs to be fixed", False),
])
def test_it_tells_a_fix_from_a_wish_a_denial_and_a_fix_taken_back(text: str, resolved: bool) -> None:
    assert (resolution_at(tokenise(text)[1].words) is not None) is resolved


@pytest.mark.parametrize("text", [
    "promo cashback masih ada gak ya min?",
    "kak, pesanan yg kemarin udah bisa diambil belum?",
    "kedai kat Ipoh dah buka ke belum?",
    "is the student discount still available?",
    "do you deliver to Medan?",
])
def test_a_question_for_information_is_no_complaint_and_carries_no_sentiment(
    engine: EngineClassifier, text: str,
) -> None:
    a = engine.classify(text)
    assert not a.is_complaint
    assert a.intent == "question"
    assert a.sentiment == "neutral"


@pytest.mark.parametrize("text", [
    "why is my order still not here?",
    "kenapa paket saya belum sampai juga??",
    "is the app down again? can't log in",
])
def test_a_grievance_asked_as_a_question_is_still_a_complaint(engine: EngineClassifier, text: str) -> None:
    assert engine.classify(text).is_complaint


def test_only_a_closing_negator_asks_or_not() -> None:
    closing = tokenise("promo masih ada gak ya kak? makasih")[1]
    inside = tokenise("kenapa gak bisa login?")[1]
    assert [closing.words[i] for i in tag_negators(closing)] == ["tidak"]
    assert tag_negators(inside) == set()


@pytest.mark.parametrize(("text", "complaint"), [
    ("waiting for my sister at the Acme store", False),
    ("nunggu temen di depan gerai Acme", False),
    ("still waiting for my refund from Acme", True),
    ("waiting in line at the Acme store in Bandung", False),
    ("eh lagi nunggu pesenan di Acme, rame bgt hari ini wkwk", False),
    ("lg nungguin kurir, katanya bentar lagi nyampe", False),
    ("lagi nunggu pesenan dari jam 7, udah sejam belum dateng", True),
    ("still waiting in line, 40 minutes now", True),
])
def test_waiting_for_a_person_or_told_as_what_one_is_doing_is_no_grievance(
    engine: EngineClassifier, text: str, complaint: bool,
) -> None:
    assert engine.classify(text).is_complaint is complaint


@pytest.mark.parametrize("text", [
    "besok mau ke Kopi Senja Bandung ah",
    "kawan aku kerja kat Kopi Senja, katanya sibuk sekarang",
    "nanti sore mau nonton di bioskop deket rumah",
    "esok nak pergi pasar malam dengan family",
    "katanya toko baru di depan kampus buka minggu depan",
])
def test_plans_and_hearsay_are_neutral(engine: EngineClassifier, text: str) -> None:
    a = engine.classify(text)
    assert a.sentiment == "neutral"
    assert not a.is_complaint
    assert -0.3 < a.sentiment_score < 0.3


@pytest.mark.parametrize(("text", "sentiment"), [
    ("besok mau ke sana lagi, makanannya enak banget", "positive"),
    ("pelayanan lambat, tidak mau ke sini lagi", "negative"),
])
def test_a_plan_with_a_judgement_keeps_it(engine: EngineClassifier, text: str, sentiment: str) -> None:
    assert engine.classify(text).sentiment == sentiment


@pytest.mark.parametrize("text", [
    "seneng bgt promo ongkir gratis kemarin, dapet murah",
    "diskon 50% kemarin lumayan bgt, dapet murah",
    "ada promo gratis ongkir gak min?",
    "@acme the new data plan is fast and cheap 👍",
    "is the buy one get one promo still on?",
])
def test_shopping_talk_is_not_spam(engine: EngineClassifier, text: str) -> None:
    assert not engine.classify(text).is_spam


@pytest.mark.parametrize("text", [
    "promo murah meriah, order via wa 0812-3456-7890",
    "diskon 90% semua produk, klik link di bio",
    "JUAL followers murah, wa 081234567890",
    "cheap likes and followers, buy now",
    "Get free gift cards and pay pal money!",
    "win a free iphone, join now",
])
def test_shopping_words_with_a_call_to_act_are_still_spam(engine: EngineClassifier, text: str) -> None:
    assert engine.classify(text).is_spam


def test_a_happy_customer_of_a_promo_is_positive(engine: EngineClassifier) -> None:
    a = engine.classify("seneng bgt promo ongkir gratis Kopi Senja kmrn, dapet murah")
    assert (a.is_spam, a.is_complaint, a.sentiment) == (False, False, "positive")


def test_a_negated_grievance_in_any_inflection_is_praise(engine: EngineClassifier) -> None:
    a = engine.classify("lunch there never disappoints")
    assert not a.is_complaint
    assert a.sentiment == "positive"


@pytest.mark.parametrize("text", [
    "sinyal di Medan kenceng banget sekarang 💯",
    "internet rumah stabil, makasih 🙌",
])
def test_praise_the_word_lists_know_outweighs_the_learned_models_doubt(
    engine: EngineClassifier, text: str,
) -> None:
    a = engine.classify(text)
    assert a.sentiment == "positive"
    assert not a.is_complaint


def test_an_emoji_after_a_negated_word_is_not_negated_itself(engine: EngineClassifier) -> None:
    a = engine.classify("not happy, home internet has been down for 8 hours, not ok 😡")
    assert a.sentiment == "negative"
    assert a.is_complaint


def test_a_negation_reaches_past_an_intensifier_but_not_past_another_word() -> None:
    assert lexicon_sentiment(tokenise("the food was not very good")[1].words)[0] < 0
    # "tidak" negates the reply that never came, not the disappointment after it.
    assert lexicon_sentiment(tokenise("cs nya tidak bales kecewa")[1].words)[0] < 0


def test_a_grievance_after_a_negated_verb_still_counts(engine: EngineClassifier) -> None:
    a = engine.classify("@kopisenja ada rambut di latte yang aku beli td, cs nya tidak bales2 kecewa bngt")
    assert a.is_complaint
    assert "kecewa" in a.evidence


def test_a_word_reduplicated_with_a_2_reads_as_the_word() -> None:
    norm, _ = tokenise("internet putus2 dari pagi, cs gak bales2")
    assert norm == "internet putus dari pagi customer service tidak balas"


@pytest.mark.parametrize("text", [
    "paket yg dikirim salah alamat, udh 3 hari gini gimana sih",
    "kurirnya kasar bgt, paket dilempar gitu aja",
])
def test_the_indonesian_for_the_english_cues_are_cues_too(engine: EngineClassifier, text: str) -> None:
    assert engine.classify(text).is_complaint


def test_salah_satu_is_one_of_not_a_mistake(engine: EngineClassifier) -> None:
    a = engine.classify("salah satu menu favorit di sini, enak banget")
    assert not a.is_complaint
    assert a.sentiment == "positive"


@pytest.mark.parametrize("text", [
    "didn't know Kopi Senja sponsored the Bandung marathon",
    "gak nyangka ternyata Kopi Senja buka cabang di Medan",
    "tak sangka kawan aku kerja kat situ rupanya",
    "Kopi Senja changed their logo again?",
    "waiting in line at the Kopi Senja store in Jakarta",
    "shoutout to Kopi Senja, support fixed my issue in 10 minutes 🔥",
])
def test_surprise_news_and_a_fix_are_no_complaints(engine: EngineClassifier, text: str) -> None:
    a = engine.classify(text)
    assert not a.is_complaint
    assert a.sentiment != "negative"


def test_not_knowing_of_a_failure_is_still_a_complaint(engine: EngineClassifier) -> None:
    assert engine.classify("i didn't know my order was cancelled, nobody told me").is_complaint
