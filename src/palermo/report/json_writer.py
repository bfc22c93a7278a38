"""The report as JSON, for dashboards and other programs; src/palermo/schemas/report.schema.json
describes it."""

from __future__ import annotations

import json
from typing import Any

from palermo.model import SectionClearance, Status
from palermo.report.content import (
    AdvisoryItem,
    AnswerItem,
    CountRow,
    ObligationItem,
    ReportContent,
)

# 2: required_measures (was recommended_measures), advisories, open_questions, incomplete,
#    recommended_actions
FORMAT_VERSION = 2


def _by_status(row: CountRow) -> dict[str, int]:
    return {status.value: count for status, count in row.counts}


def _count(row: CountRow) -> dict[str, Any]:
    return {"id": row.key, "label": row.label, "total": row.total, "by_status": _by_status(row)}


def _answer(answer: AnswerItem) -> dict[str, Any]:
    return {
        "question_id": answer.question_id,
        "instrument": answer.instrument,
        "section": answer.section,
        "question": answer.question,
        "answered": answer.answered,
        "answer": answer.answer,
        "value": answer.value,
        "citations": list(answer.citations),
        "note": answer.note,
    }


def _advisory(advisory: AdvisoryItem) -> dict[str, Any]:
    return {"id": advisory.id, "text": advisory.text,
            "priority": {"rank": advisory.priority_rank, "label": advisory.priority_label},
            "basis": list(advisory.basis)}


def _obligation(item: ObligationItem, order: dict[str, int]) -> dict[str, Any]:
    data = {
        "id": item.id,
        "instrument": item.instrument,
        "reference": item.reference,
        "article": item.article,
        "paragraph": item.paragraph,
        "subparagraph": item.subparagraph,
        "article_title": item.article_title,
        "category": item.category,
        "strength": item.strength,
        "strength_note": item.strength_note,
        "summary": item.summary,
        "chapeau": item.chapeau,
        "text": item.text,
        "status": item.status.value,
        "status_label": item.status_label,
        "symbol": item.status.symbol,
        "findings": list(item.findings),
        "required_measures": list(item.measures),
        "advisories": [_advisory(a) for a in item.advisories],
        "priority": None if item.priority_rank is None else {
            "rank": item.priority_rank,
            "label": item.priority_label,
            "order": order.get(item.id),
        },
        "option": None if item.option is None else {
            "id": item.option, "label": item.option_label,
        },
        "citations": list(item.citations),
        "answers": [a.question_id for a in item.answers],
        "binding": item.binding,
        "incomplete": item.incomplete,
        "open_questions": list(item.open_questions),
    }
    if item.change_label:
        data["change"] = item.change_label   # report --since
    if item.draft_label:
        data["draft"] = True                 # decided by a section not cleared (sign-off)
    return data


def _clearance(c: SectionClearance) -> dict[str, Any]:
    state = "cleared" if c.cleared else "void" if c.void else "uncleared"
    return {"section": c.section, "title": c.title, "state": state, "by": c.by, "date": c.date}


def _progress(content: ReportContent) -> dict[str, Any]:
    p = content.progress
    assert p is not None  # noqa: S101 - called only when the report has the section
    data: dict[str, Any] = {
        "heading": p.heading, "since": p.since, "intro": [b.text for b in p.intro],
        "changes": [{"obligation": r.obligation_id, "provision": r.provision, "kind": r.kind,
                     "mark": r.mark, "before": r.before, "now": r.now,
                     "answers": list(r.answers)} for r in p.rows]}
    if p.catalog_note:
        data["catalog_note"] = p.catalog_note
    return data


def report_data(content: ReportContent) -> dict[str, Any]:
    """The report as plain data (what render_json writes)."""
    required = [a for a in content.action_plan if a.kind == "required"]
    recommended = [a for a in content.action_plan if a.kind == "recommended"]
    order = {a.item.id: index for index, a in enumerate(required, 1)}
    items = content.items
    data = {
        "format": "palermo-report",
        "format_version": FORMAT_VERSION,
        "generator": content.generator,
        "title": content.title,
        "state": content.state,
        "date": content.date,
        "assessor": content.assessor,
        "catalog_version": content.catalog_version,
        "answers_catalog_version": content.answers_catalog_version,
        "instruments": [
            {"id": i.code, "title": i.title, "short_title": i.short,
             "party_status": i.party_status, "party_label": i.party_label,
             "binding": i.binding, "assessed": i.assessed}
            for i in content.instruments
        ],
        "summary": {
            "total": content.totals.total,
            "by_status": _by_status(content.totals),
            "gaps": sum(1 for i in items if i.status.is_gap),
            "not_assessed": content.totals.get(Status.NOT_ASSESSED),
            "incomplete": sum(1 for i in items if i.incomplete),
            "advisories": sum(len(i.advisories) for i in items),
            "notifications_owed": len(content.notifications),
            "by_instrument": [_count(r) for r in content.by_instrument],
            "by_category": [_count(r) for r in content.by_category],
        },
        "obligations": [_obligation(i, order) for i in items],
        "action_plan": [a.item.id for a in required],
        "recommended_actions": [
            {"obligation": a.item.id, "advisory": a.advisory.id,
             "priority": {"rank": a.advisory.priority_rank, "label": a.advisory.priority_label}}
            for a in recommended if a.advisory is not None
        ],
        "notifications_owed": [
            {"obligation": n.item.id, "to": n.to, "what": n.what, "when": n.when,
             "status": n.item.status.value}
            for n in content.notifications
        ],
        "answers": [_answer(a) for g in content.answer_groups for a in g.answers],
    }
    if content.progress is not None:
        data["progress"] = _progress(content)
    if content.clearances:
        data["clearances"] = [_clearance(c) for c in content.clearances]
    return data


def render_json(content: ReportContent) -> str:
    """The report as JSON text (UTF-8, not ASCII-escaped, indented for diffs)."""
    return json.dumps(report_data(content), ensure_ascii=False, indent=2, default=str) + "\n"
