"""The insights report: an HTML page in French with its charts embedded, and one CSV file per
table, with no personal data: no message text, no sender id, no free text, and every count
under MIN_SHOWN written « < 5 » (a share is given only over MIN_SHOWN messages or more).

    cmq insights [--since AAAA-MM-JJ] [--until AAAA-MM-JJ] [--out DOSSIER] [--store URL]

The store defaults to CMQ_TRACKER_DB_URL (the SQLite file of `make run` when unset); the
report goes to var/insights/ (index.html and *.csv), where the demo server shows it at
/insights to whoever gives the API token.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import html
import io
from pathlib import Path

from bot.insights.tally import Insights
from knowledge.settings import PROJECT_ROOT

MIN_SHOWN = 5
DEFAULT_OUT = PROJECT_ROOT / "var" / "insights"
TOP = 15


def shown(count: int) -> str:
    return str(count) if count == 0 or count >= MIN_SHOWN else f"< {MIN_SHOWN}"


def share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}".replace("%", " %") if whole >= MIN_SHOWN else "—"


def tables(found: Insights) -> dict[str, tuple[str, list[str], list[list[str]]]]:
    """file name -> (title, header, rows), every count already masked."""
    def ranked(counter, header):
        return [header] + [[name, shown(count)] for name, count in counter.most_common()]

    days = [["jour", "conversations", "messages"]] + [
        [day, shown(conv), shown(msgs)] for day, (conv, msgs) in sorted(found.by_day.items())]
    unmet = [["secteur", "niveau", "lieu", "recherches sans résultat"]] + [
        [*criteria, shown(count)] for criteria, count in found.unmet.most_common()]
    understanding = [["intention", "messages", "repli", "part de repli", "reformulé", "part reformulée"]] + [
        [intent, shown(msgs), shown(fallback), share(fallback, msgs), shown(again), share(again, msgs)]
        for intent, (msgs, fallback, again) in sorted(found.by_intent.items(), key=lambda item: -item[1][0])]
    summary = [["mesure", "valeur"], ["conversations", shown(found.conversations)], ["messages", shown(found.messages)],
               ["messages par conversation (médiane)", str(found.median_length) if found.conversations >= MIN_SHOWN
                else "—"],
               ["demandes d'un conseiller humain", shown(found.human_help)],
               ["recherches sans résultat", shown(sum(found.unmet.values()))]]
    return {
        "resume": ("Résumé", *_split(summary)),
        "jours": ("Conversations et messages par jour", *_split(days)),
        "intentions": ("Intentions", *_split(ranked(found.intents, ["intention", "messages"]))),
        "secteurs": ("Secteurs demandés", *_split(ranked(found.sectors, ["secteur", "demandes"]))),
        "niveaux": ("Niveaux demandés", *_split(ranked(found.levels, ["niveau", "demandes"]))),
        "lieux": ("Lieux demandés", *_split(ranked(found.places, ["lieu", "demandes"]))),
        "metiers": ("Métiers nommés", *_split(ranked(found.jobs, ["métier", "demandes"]))),
        "demande-non-satisfaite": ("Demande non satisfaite : recherches sans résultat", *_split(unmet)),
        "metiers-sans-campus": ("Métiers qu'aucun campus ne couvre",
                                *_split(ranked(found.jobs_not_covered, ["métier", "demandes"]))),
        "incomprehensions": ("Incompréhensions probables, par intention", *_split(understanding)),
        "boutons": ("Boutons utilisés", *_split(ranked(found.buttons, ["bouton (intention)", "clics"]))),
        "canaux": ("Canaux", *_split(ranked(found.channels, ["canal", "messages"]))),
    }


def _split(rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    return rows[0], rows[1:]


def write_csv(out: Path, found: Insights) -> list[Path]:
    written = []
    for name, (_, header, rows) in tables(found).items():
        path = out / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
        written.append(path)
    return written


def _chart(title: str, counter, horizontal: bool = True) -> str:
    """A bar chart of the categories counted MIN_SHOWN times or more, as an embedded PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    items = [(name, count) for name, count in counter.most_common(TOP) if count >= MIN_SHOWN]
    if not items:
        return ""
    figure, axes = plt.subplots(figsize=(7, 0.35 * len(items) + 1.2), dpi=90)
    names, counts = [name for name, _ in items][::-1], [count for _, count in items][::-1]
    axes.barh(names, counts, color="#1f6f8b") if horizontal else axes.bar(names, counts, color="#1f6f8b")
    axes.set_title(title, fontsize=10)
    axes.tick_params(labelsize=8)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    encoded = base64.b64encode(buffer.getvalue()).decode()
    return f'<img alt="{html.escape(title)}" src="data:image/png;base64,{encoded}">'


def _table_html(title: str, header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th scope=\"col\">{html.escape(cell)}</th>" for cell in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    empty = "" if rows else f"<tr><td colspan=\"{len(header)}\">Aucune donnée sur la période.</td></tr>"
    return f"<h2>{html.escape(title)}</h2><table><thead><tr>{head}</tr></thead><tbody>{body}{empty}</tbody></table>"


def write_html(out: Path, found: Insights, since: dt.date | None, until: dt.date | None) -> Path:
    period = f"du {since or 'début'} au {until or dt.date.today()}"
    charts = {"intentions": _chart("Intentions les plus fréquentes", found.intents),
              "secteurs": _chart("Secteurs demandés", found.sectors),
              "demande-non-satisfaite": _chart("Recherches sans résultat (secteur)",
                                               _first_of(found.unmet))}
    sections = []
    for name, (title, header, rows) in tables(found).items():
        sections.append(_table_html(title, header, rows) + charts.get(name, "")
                        + f'<p><a href="{name}.csv">{name}.csv</a></p>')
    page = f"""<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Orientation CMQ : ce que les élèves demandent</title>
<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem;color:#1b1b1b}}
table{{border-collapse:collapse;margin:.5rem 0}}td,th{{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}}
img{{max-width:100%}}</style></head>
<body><main><h1>Ce que les élèves demandent et ne trouvent pas</h1>
<p>Période {html.escape(period)}. Aucun texte de message, aucun identifiant : seulement des comptes, ceux
inférieurs à {MIN_SHOWN} écrits « &lt; {MIN_SHOWN} » ; les valeurs sont les noms de la base de connaissances.</p>
{''.join(sections)}
</main></body></html>
"""
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


def _first_of(unmet):
    from collections import Counter

    sectors = Counter()
    for (sector, _, _), count in unmet.items():
        sectors[sector] += count
    return sectors


def write(found: Insights, out: Path = DEFAULT_OUT, since: dt.date | None = None,
          until: dt.date | None = None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    return write_csv(out, found) + [write_html(out, found, since, until)]


def make_report(store_url: str, out: Path = DEFAULT_OUT, since: dt.date | None = None,
                until: dt.date | None = None) -> list[Path]:
    """Read the store, count, and write the report; the files written."""
    from bot.insights.store import conversations
    from bot.insights.tally import tally
    from knowledge.queries import open_knowledge_base

    return write(tally(conversations(store_url, since, until), open_knowledge_base()), out, since, until)
