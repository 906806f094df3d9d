"""Issue #11 "done when": ``annotator import`` of a brat collection with every line kind and a
few bad files under ``--skip-bad`` keeps every good annotation; the export of it reads back
to the same annotations (``canonical``), and brat's verifier finds nothing in it.

Line kinds: T (nested, overlapping, astral characters, a CRLF document, a span across a line
break written as fragments), E with numbered roles and an event argument, R, ``*``, A and M,
N (with a name and with an empty one), ``#`` AnnotatorNotes and another note type (truly
discontinuous spans: the byte round trips of points 1-3 in test_brat.py)."""

from __future__ import annotations

from pathlib import Path

from tests.formats.brat_verifier import verify_collection
from tests.formats.test_brat import canonical

CONF = """[entities]
Person
Organization
GPE
[relations]
Member\tArg1:Person, Arg2:Organization
Alias\tArg1:Person, Arg2:Person, <REL-TYPE>:symmetric-transitive
<OVERLAP>\tArg1:GPE, Arg2:Organization, <OVL-TYPE>:contain
[events]
Meet\tParticipant+:Person, Place?:GPE
Report\tReporter:Person|Organization, Event?:<EVENT>
[attributes]
Negated\tArg:<EVENT>
Mention\tArg:<ENTITY>, Value:Name|Nominal
"""

DOCS = {
    "a": ("Ann \U0001F600 met Bo of Bank of England in Kabul. Ann said so.\n",
          "T1\tPerson 0 3\tAnn\nT2\tPerson 10 12\tBo\n"
          "T3\tOrganization 16 31\tBank of England\nT4\tGPE 24 31\tEngland\n"
          "T5\tGPE 35 40\tKabul\nT6\tMeet 6 9\tmet\nT7\tPerson 42 45\tAnn\n"
          "T8\tReport 46 50\tsaid\n"
          "E1\tMeet:T6 Participant:T1 Participant2:T2 Place:T5\n"
          "E2\tReport:T8 Reporter:T7 Event:E1\n"
          "R1\tMember Arg1:T2 Arg2:T3\n*\tAlias T1 T7\n"
          "A1\tNegated E1\nM2\tMention T1 Name\n"
          "N1\tReference T5 Wikidata:Q5838\tKabul city\n"
          "#1\tAnnotatorNotes T2\tcheck the name\n#2\tLemma T6\tmeet\n"),
    "crlf": ("Bo left.\r\nAnn\r\nBell stayed in Kabul.\r\n",
             "T1\tPerson 0 2\tBo\nT2\tPerson 10 13;15 19\tAnn Bell\n"
             "T3\tGPE 30 35\tKabul\n"
             "N1\tReference T3 Wikidata:Q5838\t\n"),
}
BAD = {
    "badline": ("Ann met Bo.\n", "T1\tPerson 0 3\tAnn\nT1\tPerson 8 10\tBo\n"
                                 "T2\tPerson 8 10\tBo\n"),
}


def _write(folder: Path, docs: dict[str, tuple[str, str]]) -> None:
    for name, (text, ann) in docs.items():
        (folder / f"{name}.txt").write_bytes(text.encode("utf-8"))
        (folder / f"{name}.ann").write_text(ann, encoding="utf-8")


def test_every_line_kind_survives_import_and_export_under_skip_bad(cli, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "annotation.conf").write_text(CONF, encoding="utf-8")
    _write(src, {**DOCS, **BAD})
    (src / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    (src / "latin1.ann").write_text("", encoding="utf-8")
    proj = tmp_path / "p.annproj"
    assert cli("new", proj, "--schema", src / "annotation.conf")[0] == 0
    code, out, err = cli("import", proj, src, "--skip-bad")
    assert code == 0, err
    assert "imported 3 document(s)" in out and "skipped 1 bad file(s)" in out
    assert "skipped 1 bad line(s)" in out and "badline.ann:2" in out
    code, out, err = cli("export", proj, "-f", "brat", "-o", tmp_path / "out",
                         "--documents", "all")
    assert code == 0, err
    for name, (text, ann) in DOCS.items():
        back = (tmp_path / "out" / f"{name}.ann").read_text(encoding="utf-8")
        assert (tmp_path / "out" / f"{name}.txt").read_bytes() == text.encode("utf-8")
        assert canonical(back, text) == canonical(ann.replace("M2\t", "A2\t"), text), name
    text, _ = BAD["badline"]
    back = (tmp_path / "out" / "badline.ann").read_text(encoding="utf-8")
    assert canonical(back, text) == canonical("T1\tPerson 0 3\tAnn\nT2\tPerson 8 10\tBo\n",
                                              text)
    assert verify_collection(tmp_path / "out") == []
