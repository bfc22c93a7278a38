"""The content model's shapes every writer lays out: facts, parts, plan columns, groups."""

from __future__ import annotations

import pytest
import report_fixture as fx

from palermo.model import Status
from palermo.report import render_report
from palermo.report.content import ObligationItem, ReportContent, build_content
from palermo.report.html_writer import render_html
from palermo.report.markdown_writer import render_markdown
from palermo.report.progress import Progress
from palermo.report.wording import blocks


def content(detail: str = "standard", **changes: object) -> ReportContent:
    return build_content(fx.analysis(**changes), detail=detail)


def item(c: ReportContent, ob_id: str) -> ObligationItem:
    return next(i for i in c.items if i.id == ob_id)


def test_facts_line_in_order_with_the_priority_named() -> None:
    c = content()
    facts = c.facts(item(c, "som.6.2.a"), "line")
    assert [(f.key, f.text) for f in facts] == [
        ("id", "som.6.2.a"), ("status", "✗ Not met"),
        ("strength", "Qualified (“shall”, with a qualifier)"), ("priority", "Priority: Medium")]
    assert [f.key for f in facts if f.strong] == ["status"]


def test_facts_table_of_an_obligation_not_yet_binding_with_an_option() -> None:
    c = content("full")
    gap = c.facts(item(c, "tip.5.1"))
    assert [(f.label, f.value) for f in gap] == [
        ("Status", "✗ Not met"), ("Obligation", "Mandatory (“shall”)"),
        ("In brief", item(c, "tip.5.1").summary), ("Priority", "High"),
        ("Binding", "Not yet: would bind on becoming a Party")]
    met = c.facts(item(c, "untoc.5.1.a"))
    assert [f.key for f in met] == ["status", "strength", "summary", "option"]
    assert met[-1].label == "Option taken"


def test_open_questions_are_stressed_in_the_facts_line_of_every_writer() -> None:
    results = tuple(r._replace(open_questions=("som.attempt", "som.sea_border"))
                    if r.obligation.id == "som.6.2.a" else r for r in fx.results())
    c = content(results=results)
    line = {f.key: f for f in c.facts(item(c, "som.6.2.a"), "line")}
    assert line["incomplete"].text == "incomplete: 2 questions open"
    assert line["incomplete"].strong
    table = {f.key: f for f in c.facts(item(c, "som.6.2.a"), "table")}
    assert table["incomplete"].text == "incomplete: 2 questions open"
    assert not any(f.strong for f in table.values())      # the facts table's values stay plain
    markdown = render_report(fx.analysis(results=results), "markdown").decode("utf-8-sig")
    assert ("`som.6.2.a` · **✗ Not met** · Qualified (“shall”, with a qualifier) · "
            "Priority: Medium · **incomplete: 2 questions open**") in markdown
    html = render_report(fx.analysis(results=results), "html").decode("utf-8")
    assert "Priority: Medium · <strong>incomplete: 2 questions open</strong></p>" in html


def test_an_unknown_place_of_facts_is_refused() -> None:
    c = content()
    with pytest.raises(ValueError, match="unknown place of facts 'cover'"):
        c.facts(c.items[0], "cover")


def test_parts_in_reading_order() -> None:
    assert [p.key for p in content().parts] == [
        "summary", "correspondence", "analysis", "action_plan", "annex_answers",
        "annex_notifications", "annex_method"]
    full = content("full")
    assert [p.key for p in full.parts] == [
        "summary", "glance", "instruments", "action_plan", "annex_answers",
        "annex_notifications", "annex_method"]
    assert [p.key for p in full.parts if p.wide] == ["action_plan"]
    assert [p.key for p in full.parts if p.heading is None] == ["instruments"]
    assert full.parts[0].intro == full.prose["overall"] + full.prose["summary"]
    assert full.parts[-1].intro == full.prose["annex_method"] and full.prose["annex_method"]


def with_progress(c: ReportContent) -> ReportContent:
    return c._replace(progress=Progress(
        heading="Progress since 1 May 2025", since="1 May 2025",
        intro=blocks("Since the assessment of 1 May 2025, one gap was closed."), rows=(),
        marks={}, catalog_note="- The earlier assessment used catalog 1.0.0."))


def test_progress_is_a_part_with_the_catalogs_note_set_apart() -> None:
    c = with_progress(content())
    part = c.parts[1]
    assert (part.key, part.heading, part.anchor) == (
        "progress", "Progress since 1 May 2025", "progress")
    assert [b.kind for b in part.intro] == ["para", "note"]
    markdown = render_markdown(c)
    assert ("## Progress since 1 May 2025\n\nSince the assessment of 1 May 2025, one gap was "
            "closed.\n\n> \\- The earlier assessment used catalog 1.0.0.\n\n"
            "## Table of correspondence") in markdown
    html = render_html(c)
    assert ('<h2 id="progress">Progress since 1 May 2025</h2>\n<p>Since the assessment of 1 May '
            '2025, one gap was closed.</p>\n<p class="muted">- The earlier assessment used '
            'catalog 1.0.0.</p>\n<h2 id="correspondence">') in html


def test_top_priorities_count_what_the_plan_has_more() -> None:
    c = content()
    required = [a for a in c.action_plan if a.kind == "required"]
    assert c.required.top == tuple(required[:6])
    assert c.required.more == max(len(required) - 6, 0)
    assert c.required.more_note == (
        f"and {c.required.more} more in the action plan" if c.required.more else "")
    first = c.required.top[0]
    assert first.lead == f"{first.priority_label}. {first.item.citation_ref} ({first.about})"


def test_plan_columns_follow_the_detail() -> None:
    assert content().plan_columns == ("number", "priority", "provision", "kind", "action", "see")
    assert content("full").plan_columns == (
        "number", "priority", "obligation", "requirement", "status", "measures")
    markdown = render_report(fx.analysis(), "markdown", detail="full").decode("utf-8-sig")
    assert "| No. | Priority | Obligation | Requirement | Status | Measures |" in markdown


def test_findings_grouped_by_instrument_in_number_order() -> None:
    c = content()
    groups = c.finding_groups
    assert [g.instrument for g in groups] == [s.info.code for s in c.sections
                                              if any(i.finding_number for i in s.items)]
    numbers = [i.finding_number for g in groups for i in g.items]
    assert numbers == list(range(1, len(c.analysed) + 1))
    first = groups[0].items[0]
    assert c.finding_heading(first) == (
        f"Finding 1. {first.provision}: {first.article_title}")
    assert first.provision[0].isupper() and first.provision[1:] == first.reference[1:]
    assert c.finding_ref(item(c, "som.16.5")) == ""
    assert item(c, "som.16.5").status is Status.MET
