"""How reports name the State, write dates and speak: third person, no questionnaire wording."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import report_fixture as fx
import yaml

from palermo.model import AnswerView
from palermo.report import render_report
from palermo.report.wording import StateNames, capitalise_names

ROOT = Path(__file__).resolve().parents[1]


def markdown(**changes: object) -> str:
    analysis = fx.analysis(state="Testland", formal_name="the Republic of Testland", **changes)
    return render_report(analysis, "markdown").decode("utf-8")


def test_short_and_formal_names() -> None:
    out = markdown()
    assert out.startswith("# Legislative gap assessment: Republic of Testland\n")
    overall = out.split("### Overall assessment\n\n", 1)[1].split("\n\n")
    assert overall[0].startswith("The law of the Republic of Testland gives full effect to 6 of "
                                 "the 13 obligations assessed (46 per cent) under the Organized "
                                 "Crime Convention (UNTOC), the Trafficking in Persons Protocol "
                                 "and the Smuggling of Migrants Protocol.")
    # The formal name starts a sentence capitalised, and never takes a possessive.
    assert overall[1] == ("The Republic of Testland is not a Party to the Trafficking in "
                          "Persons Protocol: its obligations are assessed as those that would "
                          "bind Testland on accession.")
    assert "Republic of Testland's" not in out
    assert "| Instrument | Status of Testland |" in out


def test_dates_are_written_out() -> None:
    out = markdown()
    assert "**Date:** 2 March 2025" in out
    assert "last updated on 2 March 2025" in out
    assert "2025-03-02" not in out


def test_no_questionnaire_wording_in_reports() -> None:
    asked = AnswerView("untoc.mla_without_treaty", "Can your State afford assistance when "
                       "your State's law has no treaty? (YYYY-MM-DD)", "Mutual legal assistance",
                       "2026-10-01", "2026-10-01")
    out = markdown(answers=(*fx.ANSWERS.values(), asked))
    assert ("**Can the State afford assistance when the State's law has no treaty?** "
            "`untoc.mla_without_treaty`  \nAnswer: 1 October 2026") in out
    assert "your State" not in out and "YYYY" not in out


def test_names_from_the_answers_file(run, tmp_path: Path) -> None:
    data = yaml.safe_load((ROOT / "examples" / "meridia.yaml").read_text(encoding="utf-8"))
    data["formal_name"] = "the Republic of Meridia"
    source = tmp_path / "meridia.yaml"
    source.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    out = tmp_path / "r.md"
    assert run("report", source, "-o", out).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Legislative gap assessment: Republic of Meridia\n")
    assert "The law of the Republic of Meridia gives full effect to " in text
    assert "Republic of Meridia's" not in text


def test_notification_dates_in_the_future_are_refused(run, tmp_path: Path) -> None:
    data = yaml.safe_load((ROOT / "examples" / "meridia.yaml").read_text(encoding="utf-8"))
    source = tmp_path / "meridia.yaml"
    source.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    later = (dt.date.today() + dt.timedelta(days=5 * 365)).isoformat()
    result = run("answer", source, "som.sea_authority_date", later)
    assert result.exit_code != 0
    today = dt.date.today().isoformat()
    assert (f"'{later}' is in the future (today is {today}): give the date on which the "
            "notification was made, or unknown") in result.output
    assert run("answer", source, "som.sea_authority_date", "2020-02-29").exit_code == 0


def test_capitalise_names_only_at_sentence_start() -> None:
    names = StateNames.of("Testland", "the Republic of Testland")
    assert names.display == "Republic of Testland"
    text = ("the Republic of Testland is bound. Laws of the Republic of Testland apply: "
            "the Republic of Testland acts.\nthe Republic of Testland")
    assert capitalise_names(text, names) == (
        "The Republic of Testland is bound. Laws of the Republic of Testland apply: "
        "the Republic of Testland acts.\nThe Republic of Testland")
    assert StateNames.of("Testland", None) == StateNames("Testland", "Testland", "Testland")


def test_labels_override_and_unknown_label(tmp_path: Path) -> None:
    from palermo.errors import InputError

    (tmp_path / "labels.yaml").write_text(
        "headings:\n  summary: Résumé analytique\nstatuses:\n  met: Respecté\n", encoding="utf-8")
    out = render_report(fx.analysis(), "markdown", templates_dir=tmp_path).decode("utf-8")
    assert "## Résumé analytique\n" in out
    assert "| Art. 5(1)(a) | Penal Code 1998, s. 112 (conspiracy) | ✓ Respecté |" in out
    (tmp_path / "labels.yaml").write_text("headings:\n  sumary: Résumé\n", encoding="utf-8")
    try:
        render_report(fx.analysis(), "markdown", templates_dir=tmp_path)
    except InputError as exc:
        assert str(exc).startswith(f"{tmp_path / 'labels.yaml'}:2:3: unknown label 'sumary' in "
                                   "'headings' (expected one of: contents, summary, ")
    else:
        raise AssertionError("an unknown label was accepted")


@pytest.mark.parametrize("label, message", [
    ('"Finding {num}"', "placeholder '{num}' not allowed in label 'finding_ref' of 'phrases' "
                        "(placeholders: {number})"),
    ('"Finding {number:>999999999}"', "placeholder '{number:>999999999}' not allowed in label "
                                      "'finding_ref' of 'phrases' (placeholders: {number})"),
    ('"Finding {number.real}"', "placeholder '{number.real}' not allowed in label 'finding_ref' "
                                "of 'phrases' (placeholders: {number})"),
    ('"Finding {number!r}"', "placeholder '{number!r}' not allowed in label 'finding_ref' of "
                             "'phrases' (placeholders: {number})"),
    ('"Finding {number"', "unbalanced brace in label 'finding_ref' of 'phrases' (write {{ and }} "
                          "for a brace; placeholders: {number})"),
    ('"None {x}"', None),
])
def test_a_labels_placeholders_are_the_bundled_ones(tmp_path: Path, label: str,
                                                    message: str | None) -> None:
    from palermo.errors import InputError

    key = "finding_ref" if message else "no_answer"
    (tmp_path / "labels.yaml").write_text(f"phrases:\n  {key}: {label}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        render_report(fx.analysis(), "markdown", templates_dir=tmp_path)
    expected = message or ("placeholder '{x}' not allowed in label 'no_answer' of 'phrases' "
                           "(placeholders: none)")
    column = len(f"  {key}: ") + 1                  # the value is named, not the key
    assert str(err.value) == f"{tmp_path / 'labels.yaml'}:2:{column}: {expected}"


def test_a_label_may_double_its_braces(tmp_path: Path) -> None:
    (tmp_path / "labels.yaml").write_text(
        'phrases:\n  finding_ref: "See {{the}} finding {number}"\n'
        '  no_answer: "No answer yet."\n', encoding="utf-8")
    out = render_report(fx.analysis(), "markdown", templates_dir=tmp_path).decode("utf-8")
    assert "(See {the} finding 1)" in out
    assert "**\\[See {the} finding 1\\]**" in out
