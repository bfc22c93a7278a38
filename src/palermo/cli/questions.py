"""`palermo questions`: the questions an assessment asks."""

from __future__ import annotations

import json
from pathlib import Path

import click

from palermo.cli.base import (
    cli,
    listing_options,
    parse_instruments,
    short,
    workspace,
)


@cli.command()
@listing_options("Questions an assessment of these instruments asks, e.g. som or untoc,som.")
def questions(instruments: tuple[str, ...], fmt: str, catalog_dir: Path | None,
              questionnaires_dir: Path | None) -> None:
    """List the questions an assessment asks, in interview order.

    \b
    Example:
      palermo questions --instruments som --format json
    """
    from palermo.scope import scope_of

    ws = workspace(catalog_dir, questionnaires_dir)
    chosen = parse_instruments(ws, instruments) or ws.catalog.instruments
    found = scope_of(ws.catalog, ws.bank, chosen).questions
    if fmt == "json":
        click.echo(json.dumps([q.to_dict() for q in found], indent=2, ensure_ascii=False))
        return
    from palermo.layout import fit_table

    kinds = {"yes_partly_no": "y/p/n", "multi_choice": "multi"}
    rows = [[q.id, kinds.get(q.type, q.type), q.text] for q in found]
    lines = fit_table(rows, ["ID", "TYPE", "QUESTION"], shrink=(2,)).splitlines()
    click.echo("\n".join(lines[:2]))
    section = None
    for q, line in zip(found, lines[2:], strict=True):
        if q.section_title != section:  # a heading line: 80 columns leave no room for a column
            section = q.section_title
            click.echo(short(f"{q.instrument}.{q.section_id}: {q.section_title}", 80))
        click.echo(line)
    click.echo(f"\n{len(found)} questions")
