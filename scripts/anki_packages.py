#!/usr/bin/env python3
"""Makes the Anki package fixtures in tests/fixtures/import/apkg/ with Anki's
own library (PyPI `anki`, headless; pinned in requirements-anki.txt):

    python3 -m venv /tmp/anki-venv
    /tmp/anki-venv/bin/pip install -r scripts/requirements-anki.txt
    /tmp/anki-venv/bin/python scripts/anki_packages.py tests/fixtures/import/apkg

It builds one collection holding every standard note type (Basic, and
reversed, optional reversed, type in the answer, Cloze), a custom note type
with two templates and conditionals, nested decks, tags, media (a tiny PNG
and a WAV), suspended cards and a review history with learn, review,
relearn, filtered (with and without rescheduling) and manual entries, and
exports it three ways:

    legacy.apkg    Anki 2.1.x format: collection.anki21 (schema 11), JSON media map
    current.apkg   Anki 2.1.50+ format: meta, collection.anki21b (zstd), zstd media
    collection.colpkg  the whole collection, current format

and writes expected.json: per card, what Anki renders for its question and
answer (`render_output()`, with Anki's `[anki:play:..]` audio placeholders
put back as the `[sound:..]` tags they stand for, and the `[[type:..]]`
marker as Anki's reviewer shows it: nothing on the question, the expected
answer on the answer side), its tags, whether it is suspended, and its
revlog entries. tests/import_apkg.rs compares recall's import with it, so
the tests need no Python.

Guids and revlog timestamps are fixed, so re-running gives the same cards
and history (Anki's own ids for notes, cards and decks differ per run).
"""

import json
import os
import re
import sys
import tempfile

from anki.collection import Collection, ExportAnkiPackageOptions
from anki.import_export_pb2 import ExportLimit

# A 1x1 PNG and a tiny WAV, so the packages stay small.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201"
    "e5275ede0000000049454e44ae426082"
)
WAV = (
    b"RIFF" + (36 + 8).to_bytes(4, "little") + b"WAVEfmt "
    + (16).to_bytes(4, "little") + (1).to_bytes(2, "little") + (1).to_bytes(2, "little")
    + (8000).to_bytes(4, "little") + (8000).to_bytes(4, "little")
    + (1).to_bytes(2, "little") + (8).to_bytes(2, "little")
    + b"data" + (8).to_bytes(4, "little") + bytes([128] * 8)
)

DAY_MS = 86_400_000
T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z


def add(col, notetype, deck, guid, fields, tags):
    model = col.models.by_name(notetype)
    note = col.new_note(model)
    for name, value in fields.items():
        note[name] = value
    note.tags = tags
    note.guid = guid
    col.add_note(note, col.decks.id(deck))
    return note


def custom_notetype(col):
    """Vocab: two templates, conditionals, text: and hint: filters."""
    mm = col.models
    model = mm.new("Vocab")
    for name in ["Word", "Meaning", "Example", "Notes"]:
        mm.add_field(model, mm.new_field(name))
    recognise = mm.new_template("Recognise")
    recognise["qfmt"] = (
        "{{Word}}{{#Example}}<br><i>{{Example}}</i>{{/Example}}"
    )
    recognise["afmt"] = (
        "{{FrontSide}}\n\n<hr id=answer>\n\n{{Meaning}}"
        "{{^Example}}<br>(no example){{/Example}}"
        "{{#Notes}}<br>{{hint:Notes}}{{/Notes}}"
    )
    mm.add_template(model, recognise)
    recall = mm.new_template("Recall")
    recall["qfmt"] = "{{#Meaning}}Say it: {{text:Meaning}}{{/Meaning}}"
    recall["afmt"] = "{{FrontSide}}\n\n<hr id=answer>\n\n{{Word}}"
    mm.add_template(model, recall)
    mm.add(model)


def build(col):
    custom_notetype(col)
    col.media.write_data("dot.png", PNG)
    col.media.write_data("beep.wav", WAV)
    notes = [
        add(col, "Basic", "Geo::Capitals", "geo-fr",
            {"Front": "Capital of <b>France</b>?", "Back": "Paris<br>on the Seine"},
            ["geo", "europe::fr"]),
        add(col, "Basic", "Geo::Capitals::Asia", "geo-jp",
            {"Front": "日本の首都は？", "Back": "東京 <img src=\"dot.png\">"},
            ["geo"]),
        add(col, "Basic (and reversed card)", "Geo::Rivers", "river-nile",
            {"Front": "Longest river in Africa", "Back": "The Nile"}, ["geo", "rivers"]),
        add(col, "Basic (optional reversed card)", "Lang::Spanish", "es-gato",
            {"Front": "gato", "Back": "cat", "Add Reverse": "y"}, ["es"]),
        add(col, "Basic (optional reversed card)", "Lang::Spanish", "es-perro",
            {"Front": "perro", "Back": "dog"}, ["es"]),
        add(col, "Basic (type in the answer)", "Lang::Spanish", "es-hola",
            {"Front": "hello, in Spanish", "Back": "hola"}, []),
        add(col, "Cloze", "Geo", "cloze-1",
            {"Text": "{{c1::Canberra}} is the capital of {{c2::Australia::a country}}",
             "Back Extra": "not Sydney [sound:beep.wav]"},
            ["geo", "cloze"]),
        add(col, "Vocab", "Lang::Spanish::Verbs", "vocab-comer",
            {"Word": "comer", "Meaning": "to eat", "Example": "Como pan.",
             "Notes": "regular -er verb"},
            ["es", "verbs"]),
        add(col, "Vocab", "Lang::Spanish::Verbs", "vocab-ir",
            {"Word": "ir", "Meaning": "to go", "Example": "", "Notes": ""},
            ["es", "verbs", "irregular"]),
        add(col, "Basic", "Default", "plain-default",
            {"Front": "A & B &lt; C", "Back": "x"}, []),
    ]
    cards = {(n.guid, c.ord): c for n in notes for c in n.cards()}
    # Suspended: the Nile's reverse card and the `ir` recall card.
    col.sched.suspend_cards([cards[("river-nile", 1)].id, cards[("vocab-ir", 1)].id])

    # Review history, with fixed instants: (id ms, card, ease, ivl, lastIvl,
    # factor, time ms, type). Types: 0 learn, 1 review, 2 relearn,
    # 3 filtered, 4 manual, 5 rescheduled.
    # Each card's entries are a few seconds apart from the others'.
    def revlog(key, entries):
        cid = cards[key].id
        offset = sorted(cards).index(key) * 7_000
        for day, ease, ivl, last, factor, taken, kind in entries:
            col.db.execute(
                "insert into revlog values (?,?,?,?,?,?,?,?,?)",
                int(T0 + day * DAY_MS) + offset,
                cid, -1, ease, ivl, last, factor, taken, kind,
            )

    revlog(("geo-fr", 0), [
        (0, 3, -600, 0, 0, 5000, 0),  # learn, Good
        (0.01, 3, 1, -600, 2500, 4000, 0),  # learn, Good -> graduates
        (1, 3, 3, 1, 2500, 3000, 1),  # review, Good
        (4, 1, -600, 3, 2300, 9000, 1),  # review, Again (lapse)
        (4.01, 3, 1, -600, 2300, 6000, 2),  # relearn, Good
        (5, 4, 4, 1, 2450, 2000, 1),  # review, Easy
        (6, 0, 10, 4, 2450, 0, 4),  # manual: set due date
    ])
    revlog(("geo-jp", 0), [
        (2, 2, -60, 0, 0, 12000, 0),  # learn, Hard
        (2.01, 3, 1, -60, 2500, 7000, 0),
        (3, 3, 2, 1, 2500, 5000, 3),  # filtered deck, rescheduled
        (5, 3, 0, 2, 0, 4000, 3),  # filtered deck, no rescheduling (cram)
    ])
    revlog(("river-nile", 0), [
        (1, 3, 1, 0, 2500, 3000, 0),
        (2, 0, 0, 0, 0, 0, 4),  # reset ("forget")
    ])
    revlog(("vocab-comer", 0), [
        (3, 1, -60, 0, 0, 8000, 0),
        (3.01, 3, 1, -60, 2500, 8000, 0),
        (4, 2, 1, 1, 2350, 15000, 1),
    ])
    revlog(("cloze-1", 1), [
        (7, 4, 4, 0, 2500, 1500, 0),
    ])
    return notes


AV = re.compile(r"\[anki:play:([qa]):(\d+)\]")
TYPE = re.compile(r"\[\[type:(?:[^\]:]*:)?([^\]]+)\]\]")


def text_of(card, output, side):
    html = output.question_text if side == "q" else output.answer_text
    tags = output.question_av_tags if side == "q" else output.answer_av_tags
    html = AV.sub(lambda m: f"[sound:{tags[int(m.group(2))].filename}]", html)
    note = card.note()
    if side == "q":
        return TYPE.sub("", html)
    return TYPE.sub(lambda m: note[m.group(1)], html)


def expected(col):
    out = []
    for cid in sorted(col.find_cards(""), key=lambda c: (col.get_card(c).note().guid, col.get_card(c).ord)):
        card = col.get_card(cid)
        note = card.note()
        output = card.render_output()
        rows = col.db.all(
            "select id, ease, ivl, lastIvl, factor, time, type from revlog where cid = ? order by id",
            cid,
        )
        out.append({
            "guid": note.guid,
            "ord": card.ord,
            "notetype": note.note_type()["name"],
            "deck": col.decks.name(card.did),
            "tags": note.tags,
            "suspended": card.queue == -1,
            "question": text_of(card, output, "q"),
            "answer": text_of(card, output, "a"),
            "revlog": [
                {"id": r[0], "ease": r[1], "ivl": r[2], "last_ivl": r[3], "factor": r[4],
                 "time": r[5], "type": r[6]}
                for r in rows
            ],
        })
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out_dir = os.path.abspath(sys.argv[1])
    os.makedirs(out_dir, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        col = Collection(os.path.join(tmp, "collection.anki2"))
        build(col)
        # Before the exports: exporting a .colpkg closes the collection.
        rendered = expected(col)
        whole = ExportLimit()
        whole.whole_collection.SetInParent()
        for name, legacy in [("legacy.apkg", True), ("current.apkg", False)]:
            options = ExportAnkiPackageOptions(
                with_scheduling=True, with_deck_configs=True, with_media=True, legacy=legacy
            )
            col.export_anki_package(
                out_path=os.path.join(out_dir, name), options=options, limit=whole
            )
        # Writes the package, then closes the collection.
        col.export_collection_package(
            os.path.join(out_dir, "collection.colpkg"), include_media=True, legacy=False
        )
        with open(os.path.join(out_dir, "expected.json"), "w", encoding="utf-8") as f:
            json.dump(rendered, f, ensure_ascii=False, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
