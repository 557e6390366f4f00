"""What the latest user message asks for: its entities, and the same read from the raw text.

The NLU pipeline usually extracts the entities; when it did not (a button payload, a typo it
missed), the knowledge base's resolver reads the raw text itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from rasa_sdk import Tracker

from knowledge.queries import KnowledgeBase
from knowledge.textnorm import match_key, normalize

_BARE_NUMBER = re.compile(r"\d{1,2}(?:e|er|ere|eme|ème|ère)?", re.IGNORECASE)
CRITERIA = ("sector", "level", "place", "status", "apprenticeship")
TOPIC_WORDS = frozenset(normalize(word) for word in (
    "diplôme diplômes formation formations niveau niveaux études cursus métier métiers filière filières "
    "secteur secteurs domaine domaines école écoles").split())
ORDINALS = {
    "1": 0, "premier": 0, "premiere": 0, "1er": 0, "1ere": 0,
    "2": 1, "deuxieme": 1, "second": 1, "seconde": 1, "2e": 1, "2eme": 1, "deux": 1,
    "3": 2, "troisieme": 2, "3e": 2, "3eme": 2, "trois": 2,
    "4": 3, "quatrieme": 3, "4e": 3, "4eme": 3, "quatre": 3,
    "5": 4, "cinquieme": 4, "5e": 4, "5eme": 4, "cinq": 4,
    "dernier": -1, "derniere": -1,
}
MEMBER_TYPES = {
    "lycee": "lycee", "lycees": "lycee", "universite": "universite", "universites": "universite",
    "fac": "universite", "facs": "universite", "ecole": "ecole", "ecoles": "ecole",
    "entreprise": "entreprise", "entreprises": "entreprise", "boite": "entreprise", "boites": "entreprise",
    "cfa": "cfa", "greta": "greta", "labo": "laboratoire", "labos": "laboratoire",
    "laboratoire": "laboratoire", "laboratoires": "laboratoire", "association": "association",
    "associations": "association", "partenaire": "partenaire", "partenaires": "partenaire",
}

WEBSITE_WORDS = ("site", "web", "internet", "url", "contact", "contacter", "mail", "email", "mel", "tel", "telephone",
                 "joindre")
ASPECT_WORDS = (  # what a question about one campus asks, by its words
    ("ask_campus_members", ("partie", "membre", "membres", "lycee", "lycees", "entreprises", "etablissement",
                            "etablissements")),
    ("ask_campus_trainings", ("formation", "formations", "diplome", "diplomes", "niveau", "niveaux", "filiere",
                              "filieres", "forme")),
    ("ask_campus_location", ("ou", "situe", "adresse", "trouve", "loin")),
    ("ask_campus_label", ("label", "labellise", "mention")),
    ("ask_campus_lead", ("porte", "dirige", "pilote", "tete")),
    ("ask_human", WEBSITE_WORDS))


ASPECT_KEYWORDS = frozenset(word for _, words in ASPECT_WORDS for word in words)


def asks_for_a_site(text: str | None) -> bool:
    """« vous avez leur site ? », « un mail pour les contacter ? »: a website or a contact."""
    return bool(set(WEBSITE_WORDS) & set(normalize(text or "").split()))


# « ou » is « où » once accents are dropped, and « or » as often: it asks where only at the start
# or the end, after « c'est » or « se trouve », or before what follows « où » (« c'est ou le
# campus ? », « ou se trouve… », « le campus, il est ou ? »).
_OU_ASKS_WHERE = re.compile(r"^ou\b|\bou\s*$|\b(?:c est|est|sont|situe|trouve) ou\b|"
                            r"\bou (?:est|se|sont|c est|il|elle|ca|trouver|aller|exactement)\b")


def aspect_asked(text: str | None) -> str | None:
    """The campus intent whose words the question uses (« les établissements du campus… » ->
    its members); None when it names no aspect of a campus. « kiné ou ergo » asks no place."""
    normalized = normalize(text or "")
    words = set(normalized.split())
    if "ou" in words and not _OU_ASKS_WHERE.search(normalized):
        words.discard("ou")
    return next((intent for intent, keys in ASPECT_WORDS if words & set(keys)), None)


_SAYS_CAMPUS = re.compile(r"\b(?:campus|cmq)\b")
# « c'est quoi… », « ça veut dire quoi… », « kesako »: what something is or means
_ASKS_WHAT_IT_MEANS = re.compile(r"\b(?:c est quoi|cest quoi|c quoi|c koi|qu est ce que?|veut dire|signifie|"
                                 r"definition|kesako)\b")
_ASKS_A_DIFFERENCE = re.compile(r"\b(?:difference|differences|diff)\b")
_ASKS_TO_COMPARE = re.compile(r"\b(?:vs|versus|compare|comparer|comparez|comparaison|comparatif)\b")
_ASKS_TO_BE_GUIDED = re.compile(r"\b(?:pas a pas|etape par etape|"
                                r"(?:guide|guidez|accompagne|accompagnez) (?:moi|nous))\b")


# « je parle à un bot ? », « est-ce que je m'adresse à une IA ? », « t'es une vraie personne ? »
_ASKS_WHO_ANSWERS = re.compile(
    r"\b(?:je parle|je m adresse|je discute|j echange|suis je en train|t es|tu es|vous etes|es tu|etes vous)\b"
    r"(?: \w+){0,5}? (?:bot|robot|chatbot|ia|intelligence artificielle|programme|machine|humain|humaine|"
    r"personne|vraie personne)\b")


def asks_who_answers(text: str | None) -> bool:
    """Whether the user asks if a person or a program answers, not to speak to a person."""
    return bool(_ASKS_WHO_ANSWERS.search(normalize(text or "")))


_ASKS_WHICH_CAMPUS = re.compile(r"\b(?:quels?|quelles?) (?:campus|cmq)\b|\blesquels\b")


def asks_which_campus(text: str | None) -> bool:
    """« ça se prépare dans quel campus ? », « tu connais quels campus ? », « lesquels ? »: the
    campuses are what is asked, not one campus already known."""
    return bool(_ASKS_WHICH_CAMPUS.search(normalize(text or "")))


_ASKS_FOR_A_LIST = re.compile(r"\b(?:montre|montrez|liste|lister|listez|donne|donnez|affiche|tous les|toutes les|"
                              r"inventaire|enumere|enumerez)\b")


def asks_for_a_list(text: str | None) -> bool:
    """« montre-moi les campus d'excellence », « l'inventaire complet des CMQ »."""
    return bool(_ASKS_FOR_A_LIST.search(normalize(text or "")))


def says_campus(text: str | None) -> bool:
    """The message uses the word « campus » (or « CMQ »)."""
    return bool(_SAYS_CAMPUS.search(normalize(text or "")))


def asks_what_it_means(text: str | None) -> bool:
    """« c'est quoi un CMQ ? », « BTS ça veut dire quoi ? »: what something is or means."""
    return bool(_ASKS_WHAT_IT_MEANS.search(normalize(text or "")))


def asks_a_difference(text: str | None) -> bool:
    """« la différence entre labellisé et excellence ? »."""
    return bool(_ASKS_A_DIFFERENCE.search(normalize(text or "")))


def asks_to_compare(text: str | None) -> bool:
    """« campus sécurité vs campus santé », « comparer le campus santé et le campus tourisme »."""
    return bool(_ASKS_TO_COMPARE.search(normalize(text or "")))


def asks_to_be_guided(text: str | None) -> bool:
    """« on fait la recherche pas à pas », « guidez-moi étape par étape »: the guided search."""
    return bool(_ASKS_TO_BE_GUIDED.search(normalize(text or "")))


DOMAIN_WORDS = frozenset(match_key(
    "campus CMQ formation former métier diplôme études étudier école lycée fac université orientation bac "
    "niveau filière apprentissage alternance stage apprenti label labellisé excellence membre partenaire "
    "source conseiller CIO travail travailler bosser taffer job emploi secteur").split())
MIN_OFF_TOPIC_WORDS = 3


def is_off_topic(kb: KnowledgeBase, text: str) -> bool:
    """A sentence (a few words: "hmm" or "ok" are rather asked to rephrase) naming nothing of the domain."""
    words = match_key(text).split()
    return len(words) >= MIN_OFF_TOPIC_WORDS and not DOMAIN_WORDS & set(words) and not kb.vocabulary.find(text)


@dataclass(frozen=True)
class Criteria:
    """Search constraints as the user wrote them (resolved later by the knowledge base)."""

    sector: str | None = None  # a sector, a job or a specialty
    level: str | None = None
    place: str | None = None
    status: str | None = None
    apprenticeship: bool = False

    def any(self) -> bool:
        return any(getattr(self, name) for name in CRITERIA)

    def merged_over(self, previous: Criteria) -> Criteria:
        """These criteria, completed by the previous ones where these say nothing."""
        return replace(previous, **{name: getattr(self, name) for name in CRITERIA if getattr(self, name)})


def entity_values(tracker: Tracker, entity: str) -> list[str]:
    values = [e.get("value") for e in tracker.latest_message.get("entities", []) if e.get("entity") == entity]
    return list(dict.fromkeys(str(v) for v in values if v not in (None, "")))


def latest_text(tracker: Tracker) -> str:
    text = tracker.latest_message.get("text") or ""
    return "" if text.startswith("/") else text  # a button payload is not user text


def criteria_from_message(kb: KnowledgeBase, tracker: Tracker) -> Criteria:
    """The constraints of the latest message: the entities the knowledge base understands,
    else what the raw text holds, else the entities as extracted (unknown to the base)."""
    text = latest_text(tracker)
    readers = {"sector": kb.resolver.sector, "level": kb.resolver.level, "place": kb.resolver.place,
               "status": kb.resolver.status}
    found, unknown_to_the_base = {}, set()
    for name, read in readers.items():
        extracted = entity_values(tracker, name)
        understood = [value for value in extracted if read(value)]
        if understood:
            found[name] = ", ".join(understood)
        elif text and read(text):
            found[name] = text
        else:
            # kept, so that the search can say it does not know it; a bare number (« en 3e »,
            # « 1 formation ») or a word that only names the question's topic (« quel diplôme
            # pour devenir aide-soignante ? ») is not a criterion
            unknown = [value for value in extracted
                       if not _BARE_NUMBER.fullmatch(value) and normalize(value) not in TOPIC_WORDS]
            if unknown:
                found[name] = ", ".join(unknown)
                unknown_to_the_base.add(name)
    # The base knows every name of a level: one it cannot read, beside a criterion it understands,
    # is a word the NLU mistook for a level (« les campus qui ont la mention excellence »).
    if "level" in unknown_to_the_base and set(found) - unknown_to_the_base:
        del found["level"]
    if "level" in found and text and found["level"] != text and _wanted_level_in_context(kb, text, found["level"]):
        found["level"] = text  # « je suis en BTS et je cherche un master »: the master, read in its sentence
    apprenticeship = kb.resolver.apprenticeship(text) or bool(entity_values(tracker, "apprenticeship"))
    return Criteria(**found, apprenticeship=apprenticeship)


def _wanted_level_in_context(kb: KnowledgeBase, text: str, extracted: str) -> bool:
    """Whether the sentence narrows the diplomas extracted from it to those the user looks for
    (« je suis en BTS et je cherche un master »), or asks for what comes after them (« après un
    CAP ébéniste on peut faire quoi ? »: the levels above the CAP, not the CAP)."""
    in_context, alone = kb.resolver.level(text), kb.resolver.level(extracted)
    if not (in_context and alone):
        return False
    narrower = bool(in_context.kinds) and in_context.kinds < alone.kinds
    after_it = in_context.label.startswith("après") and not in_context.levels & alone.levels
    return narrower or after_it


def criteria_from_slots(tracker: Tracker) -> Criteria:
    values = {name: tracker.get_slot(name) for name in CRITERIA}
    return Criteria(**dict(values, apprenticeship=bool(values["apprenticeship"])))


_LEVEL_NUMBER = re.compile(r"\b(?:bac|niveau)\s*\+?\s*\d+\b")


# « le 2eme résultat », « ok go pour le 1er », « celui en 4 », « le dernier de la liste »: a pick in a
# list shown (not « le 93 », « le premier campus créé », « la seconde » of a lycée)
_PICKS_A_RESULT = re.compile(
    r"\b(?:le|la|celui|celle|au|du)(?: (?:en|numero|n))? (?:\d(?:e|er|ere|eme)?|premier|premiere|deuxieme|"
    r"second|troisieme|quatrieme|cinquieme|dernier|derniere)\b(?! (?:\w+ )?(?:cree|creee|crees|labellise|annee))")


def picks_a_result(text: str | None) -> bool:
    """Whether the message picks one of the results or buttons shown, by its rank."""
    return bool(_PICKS_A_RESULT.search(normalize(text or "")))


def ordinal_index(tracker: Tracker) -> int | None:
    """Which result the user picks ("le premier", "le 2", "le dernier"), as a list index; the
    number of a level (« bac+2 », « niveau 6 ») picks nothing."""
    words = entity_values(tracker, "ordinal") + _LEVEL_NUMBER.sub(" ", normalize(latest_text(tracker))).split()
    for word in words:
        key = normalize(word)
        if key in ORDINALS:
            return ORDINALS[key]
    return None


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def question_start(text: str) -> int:
    """Where the question of a message starts: its last sentence that asks one (« Je suis psyEN
    dans un lycée du 91. Quels sont les membres… ? » -> the second sentence), else 0."""
    starts = [0] + [found.end() for found in _SENTENCE_END.finditer(text)]
    asking = [start for start in starts if "?" in text[start:]]
    return asking[-1] if len(asking) > 1 or (asking and asking[0] > 0) else 0


def member_type(tracker: Tracker) -> str | None:
    """The kind of member asked for ("quels lycées…" -> lycee), or None for all; read in the
    question, not in an introduction before it (« je suis psyEN dans un lycée. Quels… ? »)."""
    text = latest_text(tracker)
    start = question_start(text)
    extracted = [str(e.get("value")) for e in tracker.latest_message.get("entities", [])
                 if e.get("entity") == "member_type" and e.get("value") and (e.get("start") or 0) >= start]
    for word in extracted + normalize(text[start:]).split():
        key = normalize(word)
        if key in MEMBER_TYPES:
            return MEMBER_TYPES[key]
    return None


def campuses_named(kb: KnowledgeBase, tracker: Tracker, by_sector_or_place: bool = True,
                   in_text_order: bool = False) -> list[str]:
    """The keys of the campuses the message names: by a campus name, then (unless told not to)
    the first campus of each sector, then of each place named (« le campus santé »); or, with
    `in_text_order`, in the order the message names them (« le campus de Versailles et celui des
    Gobelins »: Versailles first)."""
    mentions = [(e.get("start", 0), 0, str(e["value"])) for e in tracker.latest_message.get("entities", [])
                if e.get("entity") == "campus" and e.get("value") not in (None, "")]
    if by_sector_or_place:
        mentions += [(start, 1 if kind == "sector" else 2, value)
                     for start, kind, value in _sector_or_place_mentions(tracker)]
    keys: dict[str, None] = {}
    for _, rank, value in sorted(mentions, key=lambda m: m[0] if in_text_order else (m[1], m[0])):
        key = _campus_key(kb, value) if rank == 0 else next((c.key for c in kb.find_campuses(value)), None)
        if key:
            keys.setdefault(key)
    return list(keys)


def _campus_key(kb: KnowledgeBase, value: str) -> str | None:
    details = kb.campus(value)
    return details.summary.key if details else None


_JOINS_A_PLACE = re.compile(r"^\s*(?:de|du|des|d'|a|à|en|sur)?\s*$", re.IGNORECASE)


def _sector_or_place_mentions(tracker: Tracker) -> list[tuple[int, str, str]]:
    """The sectors and places named, as (start, entity, value) in the text's order, a sector
    followed by its place read as one (« le campus aéronautique de Meaux » is the Meaux one, not
    the first campus of aeronautics)."""
    text = tracker.latest_message.get("text") or ""
    entities = sorted((e for e in tracker.latest_message.get("entities", [])
                       if e.get("entity") in ("sector", "place") and e.get("value") not in (None, "")),
                      key=lambda e: e.get("start", 0))
    mentions, joined = [], set()  # a sector joined to its place stays a sector
    for index, entity in enumerate(entities):
        if index in joined:
            continue
        after = entities[index + 1] if index + 1 < len(entities) else None
        start = entity.get("start", 0)
        if (entity["entity"] == "sector" and after and after["entity"] == "place" and "end" in entity
                and "start" in after and _JOINS_A_PLACE.match(text[entity["end"]:after["start"]])):
            mentions.append((start, "sector", f"{entity['value']} {after['value']}"))
            joined.add(index + 1)
        else:
            mentions.append((start, entity["entity"], str(entity["value"])))
    return mentions
