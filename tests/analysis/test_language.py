"""Language identification: Malay told from Indonesian and both from English, as people write
them (Manglish, Indonesian with English in it), with a confidence; other for what is neither."""

from __future__ import annotations

import csv
import json
import random
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from listening.analysis.engine import EngineClassifier
from listening.analysis.engine.text import tokenise
from workers.adapters.mock.businesses import BUSINESSES
from workers.adapters.mock.generator import SlotGenerator

MOCK_MALAY_COMPLAINT = "parcel aku hilang, tracking tak update dah seminggu"


@pytest.fixture(scope="module")
def engine() -> EngineClassifier:
    return EngineClassifier()


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # Malay, standard and as typed
        (MOCK_MALAY_COMPLAINT, "ms"),
        ("Kenapa kereta saya masih di bengkel? Dah dua minggu, teruk betul servis korang", "ms"),
        ("nak tanya, cawangan Ipoh buka pukul berapa? terima kasih", "ms"),
        ("xde signal langsung kat rumah aku, apasal ni", "ms"),
        ("betul ke promo ni percuma?", "ms"),
        ("ape cerita bil bulan ni mahal sangat", "ms"),
        ("baru tukar ke pakej unlimited, memang berbaloi", "ms"),
        # Indonesian, standard and as typed
        ("@telkomsel sinyal ilang terus dr kmrn, udh lapor 2x blm ada respon jd gmn dong??",
         "id"),
        ("pelayanannya ramah, tempatnya nyaman dan harganya lumayan murah", "id"),
        ("kak pesanan aku belum dikirim juga nih, gimana sih", "id"),
        ("uang saya sudah ditransfer tapi saldo gak nambah", "id"),
        ("besok mau ke Kopi Senja Bandung ah", "id"),
        ("tolong dicek dulu ya min, nungguin dari tadi", "id"),
        # English
        ("My order still hasn't arrived and nobody answers the phone", "en"),
        ("Thanks @pizzahut, the delivery was quick", "en"),
        ("My sim card is not working since yesterday, please help", "en"),
        # Manglish: English with Malay particles and verbs reads as Malay
        ("I tak faham why la the app keep crashing", "ms"),
        ("order I dah 3 hari tak sampai, apa cerita ni?", "ms"),
        ("the service so slow lah, dah 2 days tak reply", "ms"),
        ("dekat mana nak claim warranty je?", "ms"),
        # Indonesian with English in it (Jakarta's "which is", "literally")
        ("which is literally kecewa banget sih sama pelayanannya", "id"),
        ("jujur ya, the coffee is literally enak banget", "id"),
        ("meeting-nya udah di-reschedule, so basically gak jadi hari ini", "id"),
        # Neither: no words, or another language
        ("😂😂😂", "other"),
        ("🔥🔥 https://example.com", "other"),
        ("Gracias por todo amigo", "other"),
        ("", "other"),
    ],
)
def test_it_names_the_language_people_write(engine: EngineClassifier, text: str,
                                            lang: str) -> None:
    assert engine.classify(text).lang == lang


def test_the_mock_malay_complaint_reads_as_malay_with_some_confidence(
    engine: EngineClassifier,
) -> None:
    a = engine.classify(MOCK_MALAY_COMPLAINT)
    assert (a.lang, a.is_complaint) == ("ms", True)
    assert a.lang_confidence > 0.7


def test_confidence_is_high_for_telling_words_and_low_for_shared_ones() -> None:
    _, telling = tokenise("korang nak pergi mana je hari ni? jom lepak kat kedai mamak")
    _, shared = tokenise("harga murah, kualitas bagus")  # words both languages use
    assert telling.lang == "ms"
    assert telling.lang_confidence > 0.9
    assert shared.lang_confidence < telling.lang_confidence
    assert 0.0 <= shared.lang_confidence <= 1.0


def test_confidence_grows_with_the_evidence_in_every_language() -> None:
    for short, long in (
        ("thanks", "My order still hasn't arrived and nobody answers the phone"),
        ("gak", "kak pesanan aku belum dikirim juga nih, gimana sih"),
        ("je", "korang nak pergi mana je hari ni? jom lepak kat kedai mamak"),
    ):
        _, a = tokenise(short)
        _, b = tokenise(long)
        assert a.lang == b.lang
        assert 0.5 <= a.lang_confidence < b.lang_confidence
        assert b.lang_confidence > 0.9


def test_nothing_written_is_surely_other_and_unknown_words_are_a_guess() -> None:
    _, emoji = tokenise("😭😭🙏")
    _, unknown = tokenise("zxq wvbt plorf")
    assert (emoji.lang, emoji.lang_confidence) == ("other", 1.0)
    assert (unknown.lang, unknown.lang_confidence) == ("other", 0.5)


def test_ke_closing_a_question_is_malay_but_ke_before_a_place_is_not() -> None:
    assert tokenise("ada stok lagi ke?")[1].lang == "ms"
    assert tokenise("ada stok lagi ke toko?")[1].lang == "id"


def test_the_mock_writes_its_malay_complaints_in_words_read_as_malay() -> None:
    langs: Counter[str] = Counter()
    for business in BUSINESSES:
        gen = SlotGenerator(seed=1, scenario="steady", brand="Kopi Senja",
                            brand_handle="kopisenja", rate_per_hour=10.0, anchor=0.0,
                            business=business)
        rng = random.Random(7)
        for _ in range(100):
            langs[tokenise(gen._text(rng, "complaint", "ms"))[1].lang] += 1
    assert langs["ms"] / sum(langs.values()) >= 0.9
    assert langs["id"] / sum(langs.values()) <= 0.05


def _csv(tmp_path: Path, rows: list[dict[str, str]]) -> str:
    path = tmp_path / "texts.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def test_evaluate_reports_shares_accuracy_and_confusion(tmp_path: Path) -> None:
    path = _csv(tmp_path, [
        {"text": MOCK_MALAY_COMPLAINT, "lang": "ms"},
        {"text": "kak pesanan aku belum dikirim juga nih, gimana sih", "lang": "id"},
        {"text": "My order still hasn't arrived", "lang": "en"},
        {"text": "jom lepak kat kedai mamak", "lang": "id"},  # gold wrong on purpose
    ])
    out = StringIO()
    call_command("evaluate_classifier", path, "--task", "language", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["share"] == {"en": 0.25, "id": 0.25, "ms": 0.5, "other": 0.0}
    assert result["accuracy"] == 0.75
    assert result["confusion"]["id"] == {"en": 0, "id": 1, "ms": 1, "other": 0}
    assert set(result["mean_confidence"]) == {"en", "id", "ms"}
    assert result["texts_per_second"] is None or result["texts_per_second"] > 0


def test_evaluate_without_a_lang_column_gives_the_shares_only(tmp_path: Path) -> None:
    path = _csv(tmp_path, [{"text": "😂"}, {"text": MOCK_MALAY_COMPLAINT}])
    out = StringIO()
    call_command("evaluate_classifier", path, "--task", "language", stdout=out)
    text = out.getvalue()
    assert "task language: n=2" in text
    assert "accuracy" not in text
    assert "0.5000" in text  # half ms, half other


def test_evaluate_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    no_text = _csv(tmp_path, [{"body": "halo"}])
    with pytest.raises(CommandError, match="text column"):
        call_command("evaluate_classifier", no_text, "--task", "language")
    bad_lang = tmp_path / "bad.csv"
    bad_lang.write_text("text,lang\nhalo,jv\n", encoding="utf-8")
    with pytest.raises(CommandError, match="lang values"):
        call_command("evaluate_classifier", str(bad_lang), "--task", "language")
    with pytest.raises(CommandError, match="do not apply"):
        call_command("evaluate_classifier", str(bad_lang), "--task", "language",
                     "--learn-from", str(bad_lang), "--corrections", "1")
