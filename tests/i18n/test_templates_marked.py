"""Every visible English word in a dashboard template is marked for translation, and translated.

A template's text, once its tags, variables and marked strings are taken out, must hold no words:
what is left is punctuation and names (Dengar). Titles, labels and placeholders count as text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "dashboard" / "templates").rglob("*.html"))
PO = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"
# Names, not words: the same in every language.
NOT_WORDS = {"Dengar", "UTC", "dgr"}
VISIBLE_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "data-one", "data-many"}

MARKED = re.compile(
    r"{%\s*blocktranslate\b.*?%}.*?{%\s*endblocktranslate\s*%}"
    r"|{%\s*translate\s+(\"[^\"]*\"|'[^']*').*?%}"
    r"|_\((\"[^\"]*\"|'[^']*')\)",
    re.S,
)
CODE = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}|{%.*?%}|{{.*?}}", re.S)
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        self.found += [value for name, value in attrs if name in VISIBLE_ATTRIBUTES and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.found.append(data)


def unmarked_words(source: str) -> list[str]:
    """The words a template shows that are not inside a translate tag."""
    text = CODE.sub(" ", MARKED.sub(" ", source))
    parser = _Text()
    parser.feed(text)
    return [w for chunk in parser.found for w in WORD.findall(chunk) if w not in NOT_WORDS]


def test_the_check_finds_an_unmarked_word_and_passes_a_marked_one():
    assert unmarked_words('<p title="Pause it">{% translate "Hello" %} {{ n }} mentions</p>') == [
        "Pause", "it", "mentions"]
    assert unmarked_words('<p>{% blocktranslate with n=x %}{{ n }} mentions{% endblocktranslate %} · '
                          '{{ a|default:_("unknown") }}</p>') == []


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "dashboard" / "templates")))
def test_every_word_in_a_dashboard_template_is_marked_for_translation(template: Path):
    assert unmarked_words(template.read_text(encoding="utf-8")) == []


@dataclass(frozen=True)
class Entry:
    locations: list[str]
    flags: list[str]
    msgid: str
    msgstr: str  # the first plural form for a plural entry (Indonesian has one)


def po_entries(path: Path) -> list[Entry]:
    """The catalogue's entries, obsolete ones left out."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        locations: list[str] = []
        flags: list[str] = []
        fields: dict[str, str] = {}
        current = None
        for line in block.splitlines():
            if line.startswith("#:"):
                locations += [loc.rsplit(":", 1)[0] for loc in line[2:].split()]
            elif line.startswith("#,"):
                flags += [f.strip() for f in line[2:].split(",")]
            elif line.startswith("#~"):
                current = None  # obsolete: not in use
            elif m := re.match(r"^(msgid_plural|msgid|msgstr(?:\[0\])?|msgstr\[\d+\]) (\".*\")$", line):
                current = m.group(1)
                fields[current] = _unquote(m.group(2))
            elif line.startswith('"') and current:
                fields[current] += _unquote(line)
        if "msgid" in fields and fields["msgid"]:
            entries.append(Entry(locations, flags, fields["msgid"],
                                 fields.get("msgstr", fields.get("msgstr[0]", ""))))
    return entries


def _unquote(quoted: str) -> str:
    return quoted[1:-1].encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def test_every_dashboard_string_has_an_indonesian_translation_and_none_is_fuzzy():
    entries = po_entries(PO)
    from_templates = [e for e in entries if any("dashboard/templates/" in loc for loc in e.locations)]
    assert len(from_templates) > 200  # the catalogue was collected from the templates
    assert [e.msgid for e in from_templates if not e.msgstr] == []
    assert [e.msgid for e in entries if "fuzzy" in e.flags] == []


def test_the_catalogue_parser_sees_an_empty_and_a_fuzzy_entry(tmp_path: Path):
    po = tmp_path / "django.po"
    po.write_text('#: dashboard/templates/dashboard/x.html:3\nmsgid "Mentions"\nmsgstr ""\n\n'
                  '#: a.py:1\n#, fuzzy, python-format\nmsgid "%(n)s left"\nmsgid_plural "%(n)s lefts"\n'
                  'msgstr[0] "sisa %(n)s"\n', encoding="utf-8")
    empty, fuzzy = po_entries(po)
    assert (empty.msgid, empty.msgstr, empty.locations) == ("Mentions", "", ["dashboard/templates/dashboard/x.html"])
    assert "fuzzy" in fuzzy.flags
    assert fuzzy.msgstr == "sisa %(n)s"
