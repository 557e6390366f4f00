"""French wording of knowledge-base results: short lines that read well as plain text, and
buttons for the next step (a widget shows them; text-only channels get them as a list).
Doubtful facts are worded as such."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter

from knowledge.records import (
    FIELD_LABELS,
    ROLE_LABELS,
    TYPE_LABELS,
    CampusDetails,
    CampusSummary,
    NotCmqInfo,
    SearchResult,
    SourceRef,
    TrainingInfo,
)

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")
MAX_LISTED = 6
_INNER_PARENTHESES = re.compile(r"\s*\(([^()]*)\)")
MAX_TRAININGS_LISTED = 5
LEVEL_WORDS = {3: "niveau 3, CAP", 4: "niveau 4, bac", 5: "niveau 5, bac+2", 6: "niveau 6, bac+3",
               7: "niveau 7, bac+5", 8: "niveau 8, doctorat"}
CRITERION_LABELS = {"sector": "le secteur", "level": "le niveau", "place": "le lieu", "status": "le statut"}
WITHOUT_LABELS = {"sector": "Sans le secteur", "level": "Tous niveaux", "place": "Partout en Île-de-France",
                  "status": "Tous les statuts"}


def button(title: str, intent: str, **entities: str) -> dict:
    """A button whose payload triggers `intent` with `entities`, bypassing NLU."""
    payload = f"/{intent}" + (json.dumps(entities, ensure_ascii=False) if entities else "")
    return {"title": title, "payload": payload}


def french_date(value: str | None) -> str | None:
    """"2020-02-06" -> "6 février 2020", "2016-05" -> "mai 2016", "2016" -> "2016"."""
    if not value:
        return None
    parts = [int(part) for part in value.split("-")]
    if len(parts) == 3:
        day = "1er" if parts[2] == 1 else str(parts[2])
        return f"{day} {MONTHS[parts[1] - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0])


def flat(text: str) -> str:
    """Inner parentheses as commas, for text set inside parentheses:
    « Seine-Saint-Denis (93) » -> « Seine-Saint-Denis, 93 »."""
    return _INNER_PARENTHESES.sub(r", \1", text)


def campus_sector_buttons(kb) -> list[dict]:
    """A search button for every sector of the campuses in the data, the most covered first."""
    sectors = Counter(sector for campus in kb.all_campuses() for sector in campus.sectors)
    return [button(name, "search_campus", sector=name) for name, _ in sectors.most_common()]


def other_trainings_button(training) -> dict:
    """« Autres formations : École Boulle »: the other trainings of a training's establishment."""
    return button(f"Autres formations : {training.establishment}"[:60], "ask_establishment_campus",
                  establishment=training.establishment)


def others_phrase(count: int) -> str:
    """" et 1 autre" / " et 3 autres": what a shortened list leaves out."""
    return f" et {count} autre{'s' if count > 1 else ''}"


FEMININE_NOUNS = {"université", "école", "entreprise", "association", "institution", "collectivité"}


IN_DEPARTMENT = {"75": "à Paris", "77": "en Seine-et-Marne", "78": "dans les Yvelines", "91": "dans l'Essonne",
                 "92": "dans les Hauts-de-Seine", "93": "en Seine-Saint-Denis", "94": "dans le Val-de-Marne",
                 "95": "dans le Val-d'Oise"}


def in_department(code: str) -> str:
    """"en Seine-et-Marne", "dans les Yvelines"…: where, in a département of Île-de-France."""
    return IN_DEPARTMENT.get(code, f"dans le département {code}")


def none_of(noun: str) -> str:
    """"aucun lycée" / "aucune école"."""
    return f"aucune {noun}" if noun in FEMININE_NOUNS else f"aucun {noun}"


def checked_phrase(date: dt.date) -> str:
    return f"vérifié le {french_date(date.isoformat())}"


def campus_line(campus: CampusSummary) -> str:
    """"Création numérique (campus labellisé, Saint-Denis, 93)": one pair of parentheses."""
    details = [campus.status_label] + [part for part in (campus.commune, campus.department) if part]
    return f"{campus.short_name} ({', '.join(details)})"


LABEL_YEARS_BEFORE_2019 = 4  # décret du 16 septembre 2019: 5 years at most, 4 before
LABEL_YEARS = 5
LABEL_RULES_CHANGED = "2019-09-16"


def label_phrase(campus: CampusSummary, today: dt.date | None = None) -> str:
    """The label, its date (« le » a day, « en » a month or year), a doubt on the date, and a
    warning when the label's term has passed (a label is granted for 4 or 5 years)."""
    status = campus.status_label[0].upper() + campus.status_label[1:]
    if campus.status == "projet":
        return f"{status}, sans label connu."
    date = french_date(campus.labelled_on)
    if not date:
        return f"{status} ; la date du label n'est pas connue."
    on = "le" if len(campus.labelled_on) == 10 else "en"
    phrase = f"{status}, label obtenu {on} {date}"
    phrase += " (date à confirmer)." if "labelled_on" in campus.unsure else "."
    years = label_term_passed(campus, today)
    if years:
        term = f"{years} ans au plus" if years == LABEL_YEARS else f"{years} ans"  # 2, 3 or 5 years since 2019
        phrase += (f" Un label est accordé pour {term} : il a pu expirer ou être renouvelé depuis, "
                   "et mes sources ne disent pas lequel.")
    return phrase


def label_term_passed(campus: CampusSummary, today: dt.date | None = None) -> int | None:
    """The label's term in years (4 before the 2019 decree, 5 after) when it has passed; else None."""
    if not campus.labelled_on or campus.status == "projet":
        return None
    years = LABEL_YEARS_BEFORE_2019 if campus.labelled_on < LABEL_RULES_CHANGED else LABEL_YEARS
    parts = [int(part) for part in campus.labelled_on.split("-")]
    year, month, day = parts + [12, 31][len(parts) - 1:]  # a year or a month alone: its last day
    today = today or dt.date.today()
    return years if (year + years, month, day) < (today.year, today.month, today.day) else None


def unsure_phrase(campus: CampusSummary) -> str | None:
    fields = [FIELD_LABELS[f] for f in campus.unsure if f in FIELD_LABELS and f != "labelled_on"]
    if not fields:
        return None
    return "À confirmer dans nos sources : " + ", ".join(fields) + "."


def sources_phrase(sources: tuple[SourceRef, ...], limit: int = 2) -> str:
    """« Source : Onisep, Région Île-de-France et 2 autres — vérifié le … »: who says it and when
    it was checked; the addresses are in the answer to « Les sources »."""
    publishers = list(dict.fromkeys(s.publisher for s in sources))
    shown = publishers[:limit]
    more = others_phrase(len(publishers) - limit) if len(publishers) > limit else ""
    oldest = min(s.checked_on for s in sources)
    return f"Source : {', '.join(shown)}{more} — {checked_phrase(oldest)}."


def search_text(result: SearchResult, intro: str) -> str:
    lines = [intro]
    for index, match in enumerate(result.matches[:MAX_LISTED], start=1):
        line = f"{index}. {campus_line(match.campus)}"
        if match.trainings:
            count = len(match.trainings)
            line += f" — {count} formation{'s' if count > 1 else ''} : " + ", ".join(
                dict.fromkeys(t.title for t in match.trainings[:3])) + ("…" if count > 3 else "")
        elif match.level_match == "inconnu":
            line += " — formations à ce niveau non précisées dans mes données"
        elif match.level_match == "plage":
            line += " — " + next(reason for reason in match.reasons if reason.startswith("niveaux"))
        lines.append(line)
    hidden = len(result.matches) - MAX_LISTED
    if hidden > 0:
        lines.append(f"…{others_phrase(hidden)}.")
    return "\n".join(lines)


def understood_phrase(result: SearchResult) -> str:
    parts = []
    if "sector" in result.understood:
        parts.append(f"secteur {result.understood['sector']}")
    if "level" in result.understood:
        parts.append(f"niveau {result.understood['level']}")
    if "place" in result.understood:
        parts.append(f"lieu {result.understood['place']}")
    if "apprenticeship" in result.understood:
        parts.append(result.understood["apprenticeship"])
    if "status" in result.understood:
        parts.append(" et ".join({"excellence": "campus d'excellence", "labellise": "campus labellisés",
                                  "projet": "projets"}[status] for status in result.understood["status"].split(",")))
    return flat(", ".join(parts))


def campus_buttons(campuses: list[CampusSummary], intent: str = "ask_campus_details") -> list[dict]:
    """One button per campus, all of them: a list can always be browsed in full."""
    return [button(c.short_name, intent, campus=c.key) for c in campuses]


def members_text(details: CampusDetails, member_type: str | None) -> str:
    name = details.summary.short_name
    if member_type == "partenaire":
        members = [m for m in details.members if m.role == "partenaire"]
        wanted = "partenaire"
    else:
        members = list(details.members_of_type(member_type))
        wanted = TYPE_LABELS[member_type][0] if member_type else "membre"
    if not members:
        present = sorted({TYPE_LABELS[m.type][1] for m in details.members})
        known = f" Mes données citent : {', '.join(present)}." if present else ""
        return f"Mes sources ne citent {none_of(wanted)} du campus {name}.{known}"
    title = TYPE_LABELS[member_type][1].capitalize() if member_type and member_type != "partenaire" else (
        "Partenaires" if member_type == "partenaire" else "Membres et partenaires")
    lines = [f"{title} du campus {name} cités par mes sources :"]
    for member in members:
        where = f", {member.commune}" if member.commune else ""
        role = f" — {member.role_label}" if member.role != "membre" else ""
        lines.append(f"• {member.name} ({member.type_label}{where}){role}")
    return "\n".join(lines)


FEMININE_KINDS = frozenset({"licence", "licence-pro", "mc"})


def the_title(training: TrainingInfo) -> str:
    """"Le BTS métiers de l'audiovisuel", "La licence pro aéronautique"."""
    title = training.title
    if len(title) > 1 and title[1].islower():
        title = title[0].lower() + title[1:]
    return ("La " if training.kind in FEMININE_KINDS else "Le ") + title


def level_words(level: int | None) -> str:
    """"niveau 5, bac+2" ; a training whose level is not given says so."""
    return LEVEL_WORDS.get(level, "niveau non précisé")


def where_taught(training: TrainingInfo) -> str:
    """"au lycée Suger (Saint-Denis), tête de réseau du campus Création numérique"."""
    place = f" ({training.place_label})" if training.place_label else ""
    role = ROLE_LABELS[training.role]
    link = "membre du" if role == "membre" else f"{role} du"
    return f"{_at(training.establishment)}{place}, {link} campus {training.campus}"


def _at(name: str) -> str:
    """"Lycée Suger" -> "au lycée Suger", "École Boulle" -> "à l'École Boulle",
    "Les Compagnons du devoir" -> "chez les Compagnons du devoir"."""
    first, _, rest = name.partition(" ")
    if first.lower() == "lycée":
        return f"au lycée {rest}"
    if first in ("Les", "La", "Le"):
        return f"chez {first.lower()} {rest}"
    if first[:1].upper() in "AEIOUÉÈÊH":
        return f"à l'{name}"
    return f"à {name}"


def training_line(training: TrainingInfo) -> str:
    """One training as a list line: title, where, level in words, how, doubt."""
    details = [level_words(training.level)]
    if training.modes_label:
        details.append(training.modes_label)
    if training.unsure:
        details.append("à confirmer")
    place = f" ({training.place_label})" if training.place_label else ""
    return f"{training.title} — {training.establishment}{place}, campus {training.campus} ({', '.join(details)})"


def trainings_text(trainings: tuple[TrainingInfo, ...], intro: str, single_intro: bool = False) -> str:
    """The trainings first: one sentence for a single training (after the intro if
    `single_intro`), else a numbered list after the intro."""
    if len(trainings) == 1:
        training = trainings[0]
        sentence = f"{the_title(training)} se prépare {where_taught(training)} ({level_words(training.level)}"
        sentence += f", {training.modes_label})." if training.modes_label else ")."
        if training.unsure:
            sentence += f" À confirmer : {training.note or 'ma source est peut-être ancienne.'}"
        return f"{intro}\n{sentence}" if single_intro else sentence
    lines = [intro]
    lines += [f"{index}. {training_line(t)}" for index, t in enumerate(trainings[:MAX_TRAININGS_LISTED], start=1)]
    hidden = len(trainings) - MAX_TRAININGS_LISTED
    if hidden > 0:
        lines.append(f"…{others_phrase(hidden)}.")
    return "\n".join(lines)


def not_a_cmq_phrase(lookalike: NotCmqInfo) -> str:
    """"Le Campus de Bécheville n'est pas un campus des métiers et des qualifications : c'est …"."""
    return f"« {lookalike.name} » n'est pas un campus des métiers et des qualifications : c'est {lookalike.what}"
