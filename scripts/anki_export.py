#!/usr/bin/env python3
"""Makes the Anki fixtures in tests/fixtures/import/anki/ with Anki's own
library (PyPI `anki`, headless; versions pinned in requirements-anki.txt).

    python3 scripts/anki_export.py export tests/fixtures/import/anki
        Builds a collection of Basic notes (HTML, quotes, commas, line
        breaks, tags, nested decks, unicode) and writes Anki's "Notes in
        Plain Text" export of it twice:
          notes-html.txt   with HTML, guid, note type, deck and tags columns
          notes-plain.txt  without HTML or extra columns
        and, from notes with every formatting Anki's editor writes (bold,
        italic, underline, strike, sub/superscript, lists, code, tables,
        links, media, MathJax, colours), the same export:
          notes-formatting.txt
        tests/import_anki.rs checks that recall imports every front, back,
        tag and deck of them right, and the formatting as our Markdown.

    python3 scripts/anki_export.py card-types tests/fixtures/import/anki
        Builds a collection with one note of each card type recall knows
        (Basic (and reversed card), Basic (optional reversed card) with and
        without Add Reverse, Basic (type in the answer), Cloze with a hint,
        a repeated number and Back Extra) and writes its export, as
        notes-html.txt is written, to card-types.txt. tests/import_anki.rs
        checks the notes and cards recall makes of it.

    python3 scripts/anki_export.py roundtrip IN.txt OUT.txt
        Imports IN.txt (a `recall export --format tsv` file) into a fresh
        collection with Anki's CSV importer, then exports that collection as
        notes-html.txt is exported. tests/import_anki.rs checks that recall
        imports OUT.txt as the deck it exported: Anki took our file as it
        takes its own. The fixtures in tests/fixtures/import/roundtrip/ come
        from:

        recall export aws-api-gateway -o R/aws-api-gateway.recall.txt
        recall --deck R/tricky.toml export tricky -o R/tricky.recall.txt
        recall --deck decks/examples/card-types.toml export card-types -o R/card-types.recall.txt
        python3 scripts/anki_export.py roundtrip R/NAME.recall.txt R/NAME.anki.txt

Guids are fixed (Anki draws them at random), so the output is the same on
every run.
"""

import os
import sys
import tempfile

from anki.collection import Collection, ImportCsvRequest

# (deck, guid, front, back, tags): fields as Anki's editor stores them (HTML).
NOTES = [
    (
        "Geography::Capitals::Europe",
        "LkS:t]e}jw",
        'What is the capital of <b>France</b>, "the Hexagon"?',
        "<b>Paris</b><br>on the Seine, pop. 2,1 million",
        ["geo", "europe::fr"],
    ),
    (
        "Geography::Capitals::Europe",
        "a1!b2#c3$d",
        "Capital of Germany?",
        "<div>Berlin</div><div><br></div><div>since 1990 (again)</div>",
        ["geo"],
    ),
    (
        "Geography::Capitals::Asia",
        "Xq`{|}~[]^",
        "日本の首都は？",
        "東京 (Tōkyō) 🗼",
        ["geo", "日本語"],
    ),
    (
        "Programming",
        "p0,q1;r2:s",
        "What does <code>git add -p</code> do?",
        "Stages changes hunk by hunk:<ul><li>y: stage</li><li>n: skip<ul><li>q: quit</li></ul></li></ul>",
        ["git", "cli"],
    ),
    (
        "Programming",
        "Tab\tguid?",
        "HTML entities: &lt;div&gt; &amp; &quot;quotes&quot;",
        "They show as &lt;div&gt;, &amp; and \"quotes\"&nbsp;&nbsp;with two spaces",
        [],
    ),
    (
        "Programming",
        "media+1234",
        "A picture and a sound",
        'Look: <img src="diagram.png"> and listen: [sound:pronunciation.mp3]',
        ["media"],
    ),
    (
        "Default",
        "plain-guid",
        "Line one\nline two of the question",
        "Multi<br>line<br>answer with, commas; semicolons\tand a tab",
        ["multi-line"],
    ),
    (
        "Languages::Français",
        "fr%accent",
        "Comment dit-on « thank you » ?",
        "<i>Merci</i> — <strong>beaucoup</strong>",
        ["français"],
    ),
]


# (guid, front, back): each formatting as Anki's editor writes it.
FORMATTING = [
    ("fmt-bold", "Bold", "<b>bold</b> and <strong>strong</strong>"),
    ("fmt-italic", "Italic and underline", "<i>italic</i>, <em>em</em> and <u>underlined</u>"),
    ("fmt-strike", "Strike", "<s>old</s> <strike>older</strike> <del>oldest</del>"),
    ("fmt-subsup", "Sub and superscript", "H<sub>2</sub>O and x<sup>2</sup> and e<sup>iπ</sup>"),
    (
        "fmt-lists",
        "Lists",
        "<ul><li>one</li><li>two<ul><li>two a</li></ul></li></ul><ol><li>first</li><li>second</li></ol>",
    ),
    ("fmt-code", "Code", "Run <code>ls -la</code>:<pre>for f in *; do\n  echo \"$f\"\ndone</pre>"),
    (
        "fmt-table",
        "Table",
        "<table><tbody><tr><td>method</td><td>meaning</td></tr><tr><td>GET</td><td>read</td></tr>"
        "<tr><td>POST</td><td>create</td></tr></tbody></table>",
    ),
    (
        "fmt-ragged-table",
        "Ragged table",
        '<table><tr><td colspan="2">both</td></tr><tr><td>a</td><td>b</td></tr></table>',
    ),
    ("fmt-link", "Link", 'See <a href="https://docs.ankiweb.net/">the manual</a>.'),
    ("fmt-media", "Media", '<img src="paste-1.png"><br>[sound:rec-1.mp3]'),
    ("fmt-mathjax", "MathJax", "Inline \\(x^2\\) and block \\[\\sqrt{2}\\]"),
    (
        "fmt-colour",
        "Colours and spans",
        '<font color="#ff0000">red</font> <span style="background-color: rgb(255, 255, 0);">marked</span>',
    ),
    ("fmt-lines", "Lines", "<div>one</div><div><br></div><div>two&nbsp;&nbsp;spaced</div>"),
    ("fmt-script", "Script and style", "a<script>alert(1)</script><style>b{}</style>b"),
]


def new_collection(directory):
    return Collection(os.path.join(directory, "collection.anki2"))


def export(col, path, with_extras):
    col.export_note_csv(
        out_path=path,
        limit=None,
        with_html=with_extras,
        with_tags=with_extras,
        with_deck=with_extras,
        with_notetype=with_extras,
        with_guid=with_extras,
    )


def make_export(out_dir):
    with tempfile.TemporaryDirectory() as tmp:
        col = new_collection(tmp)
        basic = col.models.by_name("Basic")
        for deck, guid, front, back, tags in NOTES:
            note = col.new_note(basic)
            note["Front"] = front
            note["Back"] = back
            note.tags = tags
            note.guid = guid
            col.add_note(note, col.decks.id(deck))
        export(col, os.path.join(out_dir, "notes-html.txt"), True)
        export(col, os.path.join(out_dir, "notes-plain.txt"), False)
        col.close()
    with tempfile.TemporaryDirectory() as tmp:
        col = new_collection(tmp)
        basic = col.models.by_name("Basic")
        for guid, front, back in FORMATTING:
            note = col.new_note(basic)
            note["Front"] = front
            note["Back"] = back
            note.guid = guid
            col.add_note(note, col.decks.id("Formatting"))
        export(col, os.path.join(out_dir, "notes-formatting.txt"), True)
        col.close()


# (note type, guid, {field: value}, tags)
CARD_TYPE_NOTES = [
    ("Basic (and reversed card)", "rev-guid-1", {"Front": "le chat", "Back": "the cat"}, ["fr"]),
    (
        "Basic (optional reversed card)",
        "opt-guid-1",
        {"Front": "le chien", "Back": "the dog", "Add Reverse": "y"},
        ["fr"],
    ),
    (
        "Basic (optional reversed card)",
        "opt-guid-2",
        {"Front": "la souris", "Back": "the mouse", "Add Reverse": ""},
        [],
    ),
    (
        "Basic (type in the answer)",
        "typ-guid-1",
        {"Front": "Capital of Japan?", "Back": "Tokyo"},
        [],
    ),
    (
        "Cloze",
        "clz-guid-1",
        {
            "Text": "The {{c1::capital}} of <b>France</b> is {{c2::Paris::city}}; {{c1::capitals}} too.",
            "Back Extra": "Since 987",
        },
        ["geo"],
    ),
    ("Cloze", "clz-guid-2", {"Text": "日本の首都は{{c3::東京}}", "Back Extra": ""}, []),
]


def make_card_types(out_dir):
    with tempfile.TemporaryDirectory() as tmp:
        col = new_collection(tmp)
        deck = col.decks.id("Card types")
        for notetype, guid, fields, tags in CARD_TYPE_NOTES:
            note = col.new_note(col.models.by_name(notetype))
            for name, value in fields.items():
                note[name] = value
            note.tags = tags
            note.guid = guid
            col.add_note(note, deck)
        export(col, os.path.join(out_dir, "card-types.txt"), True)
        col.close()


def roundtrip(in_path, out_path):
    with tempfile.TemporaryDirectory() as tmp:
        col = new_collection(tmp)
        metadata = col.get_csv_metadata(os.path.abspath(in_path), None)
        col.import_csv(ImportCsvRequest(path=os.path.abspath(in_path), metadata=metadata))
        export(col, out_path, True)
        col.close()


def main(argv):
    if len(argv) == 3 and argv[1] == "export":
        make_export(argv[2])
    elif len(argv) == 3 and argv[1] == "card-types":
        make_card_types(argv[2])
    elif len(argv) == 4 and argv[1] == "roundtrip":
        roundtrip(argv[2], argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
