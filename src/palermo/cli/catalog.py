"""`palermo catalog list|show|validate|diff`: browse, check and compare the catalog."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from palermo.cli.base import (
    catalog_options,
    cli,
    listing_options,
    parse_instruments,
    short,
    table,
    workspace,
)


@cli.group()
def catalog() -> None:
    """Browse, check and compare the obligation catalog."""


@catalog.command("list")
@listing_options("Only these instruments, e.g. som or untoc,som; repeatable.")
def catalog_list(instruments: tuple[str, ...], fmt: str, catalog_dir: Path | None,
                 questionnaires_dir: Path | None) -> None:
    """List obligations: id, strength, category and summary.

    \b
    Example:
      palermo catalog list --instruments som --format json
    """
    ws = workspace(catalog_dir, questionnaires_dir)
    cat = ws.catalog
    wanted = parse_instruments(ws, instruments) or cat.instruments
    obligations = [o for o in cat.obligations.values() if o.instrument in wanted]
    if fmt == "json":
        click.echo(json.dumps([o.to_dict() for o in obligations], indent=2, ensure_ascii=False))
        return
    rows = [[o.id, o.reference, o.strength, o.category, short(o.summary, 70)]
            for o in obligations]
    click.echo(table(rows, ["ID", "ARTICLE", "STRENGTH", "CATEGORY", "SUMMARY"]))
    click.echo(f"\n{len(obligations)} obligations · catalog {cat.version}")


@catalog.command("show")
@click.argument("obligation_id")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@catalog_options
def catalog_show(obligation_id: str, fmt: str, catalog_dir: Path | None,
                 questionnaires_dir: Path | None) -> None:
    """Show one obligation with its treaty text, elements and questions.

    \b
    Example:
      palermo catalog show som.6.1.a
    """
    ws = workspace(catalog_dir, questionnaires_dir)
    ob = ws.catalog.get(obligation_id.strip().lower())
    questions = [q.id for q in ws.bank.informing(ob.id)]
    if fmt == "json":
        click.echo(json.dumps({**ob.to_dict(), "questions": questions}, indent=2,
                              ensure_ascii=False))
        return
    title = ws.catalog.instrument(ob.instrument).short_title
    click.echo(f"{ob.id} — {title}, {ob.reference}: {ob.article_title}")
    click.echo(f"Strength: {ob.strength}" + (f" ({ob.strength_note})" if ob.strength_note else "")
               + f" · Category: {ob.category}")
    click.echo("")
    if ob.chapeau:
        click.echo(f"  “{ob.chapeau} …")
        click.echo(f"   {ob.text}”")
    else:
        click.echo(f"  “{ob.text}”")
    click.echo("")
    click.echo(f"Summary: {ob.summary}")
    for key, label in (("required", "Required elements"),
                       ("must_not_require", "Must not require")):
        if ob.elements.get(key):
            click.echo(f"{label}:")
            for item in ob.elements[key]:
                click.echo(f"  - {item}")
    if ob.options:
        click.echo("Options the treaty leaves to the State:")
        for option in ob.options:
            click.echo(f"  - {option['label']}")
    if ob.notification:
        n = ob.notification
        click.echo(f"Notification: {n['what']} → {n['to']}"
                   + (f" ({n['when']})" if n.get("when") else ""))
    if questions:
        click.echo(f"Questions: {', '.join(questions)}")
    refs = ob.references
    if refs.get("obligations"):
        click.echo(f"Related: {', '.join(refs['obligations'])}")
    for guide in refs.get("guides", []):
        click.echo(f"See: {guide}")


@catalog.command("validate")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@catalog_options
def catalog_validate(directory: Path | None, catalog_dir: Path | None,
                     questionnaires_dir: Path | None) -> None:
    """Check a catalog and its questionnaires: schema, ids, references, verbatim quotes.

    The catalog folder is --catalog DIR (or DIRECTORY, as before); the bundled one by default.

    \b
    Example:
      palermo catalog validate --catalog obligations/
    """
    from palermo.validate import validate_catalog

    if directory is not None and catalog_dir is not None and (
            directory.resolve() != catalog_dir.resolve()):
        raise click.UsageError("give the catalog folder once: DIRECTORY or --catalog DIR")
    ws = workspace(catalog_dir or directory, questionnaires_dir)
    report = validate_catalog(ws)
    for warning in report.warnings:
        click.echo(f"Warning: {warning}", err=True)
    for error in report.errors:
        click.echo(f"Error: {error}", err=True)
    if report.errors:
        sys.exit(1)
    click.echo(f"Catalog {ws.catalog.version}: {len(ws.catalog.obligations)} obligations, "
               f"{len(ws.bank.questions)} questions, {len(ws.bank.rules)} rules: valid.")


@catalog.command("diff")
@click.argument("old")
@click.argument("new", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--catalog", "catalog_dir", type=click.Path(file_okay=False, path_type=Path),
              help="The catalog NEW defaults to (default: the bundled catalog).")
@click.option("--questionnaires", "questionnaires_dir",
              type=click.Path(file_okay=False, path_type=Path),
              help="The questionnaires NEW defaults to (default: beside --catalog, else bundled).")
def catalog_diff(old: str, new: str | None, fmt: str, catalog_dir: Path | None,
                 questionnaires_dir: Path | None) -> None:
    """Obligations, strengths, rules and questions that changed between two catalogs.

    OLD and NEW are catalog folders (the questionnaires/ folder beside one is
    compared too), git revisions of this repository, or catalog versions
    (1.0.0 or v1.0.0: the last commit whose obligations/catalog.yaml had it).
    Without NEW, OLD is compared with the --catalog folder, or the bundled
    catalog.

    \b
    Example:
      palermo catalog diff 1.0.0
      palermo catalog diff v1.0.0 HEAD
      palermo catalog diff old-catalog/ --catalog obligations/
    """
    from palermo.versions import Snapshot, compare, describe, load_snapshot

    if new is not None and (catalog_dir is not None or questionnaires_dir is not None):
        raise click.UsageError("give NEW or --catalog/--questionnaires, not both")
    if new is not None:
        newer = load_snapshot(new)
    else:
        ws = workspace(catalog_dir, questionnaires_dir)
        newer = Snapshot(ws.catalog, ws.bank, str(ws.catalog.directory))
    diff = compare(load_snapshot(old), newer)
    if fmt == "json":
        click.echo(json.dumps(diff.to_dict(), indent=2, ensure_ascii=False))
        return
    for line in describe(diff):
        click.echo(line)
