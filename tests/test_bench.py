"""The benchmark's scoring and report: right counts, and targets marked reached or not."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bench import report
from bench.conversations import Conversation, Turn, play
from bench.heldout import HeldOutMessage, answer_text, expected_fragment, is_right, strip_annotations
from bench.load import percentile
from bench.quality import score

CAMPUS_NAMES = {"securite": "Métiers de la sécurité"}


def _message(annotated: str, intent: str, campus: str | None = None, expect: str | None = None) -> HeldOutMessage:
    text, entities = strip_annotations(annotated)
    return HeldOutMessage(text, intent, entities, campus, expect)


def _parse(intent: str, *entities: tuple[str, int, int]) -> dict:
    return {"intent": {"name": intent}, "entities": [{"entity": e, "start": s, "end": t} for e, s, t in entities]}


def test_scores_count_intents_exact_entity_spans_and_answers():
    messages = [_message("un [cap](level) en [sécurité](sector)", "search_campus", campus="securite"),
                _message("merci beaucoup", "thank", expect="Avec plaisir")]
    parses = [_parse("search_campus", ("level", 3, 6), ("sector", 10, 18), ("place", 0, 2)),
              _parse("greet")]
    answers = ["1. Métiers de la sécurité (campus d'excellence)", "Bonjour !"]
    result = score("test", messages, parses, answers, CAMPUS_NAMES)
    assert (result.intent_accuracy, result.answer_accuracy) == (0.5, 0.5)
    assert (result.entity_precision, result.entity_recall) == (round(2 / 3, 4), 1.0)
    assert result.confusions == [("thank", "greet", 1)]
    assert result.wrong_answers == ["« merci beaucoup » : attendu « Avec plaisir », reçu « Bonjour ! »"]


def test_training_questions_are_scored_apart():
    messages = [replace(_message("un [cap](level) ébéniste", "search_campus", expect="CAP ébéniste"), topic="training"),
                replace(_message("un [bts](level) son", "search_campus", expect="option métiers du son"),
                        topic="training"),
                _message("merci", "thank", expect="Avec plaisir")]
    answers = ["Le CAP ébéniste se prépare à l'École Boulle", "Aucun campus", "Avec plaisir !"]
    result = score("test", messages, [_parse("search_campus")] * 2 + [_parse("thank")], answers, CAMPUS_NAMES)
    assert (result.training_answer_accuracy, result.training_messages) == (0.5, 2)
    assert result.answer_accuracy == round(2 / 3, 4)


def test_intent_errors_are_weighed_by_the_action_they_lead_to_and_the_answer():
    messages = [_message("et en [bts](level) ?", "refine_search", expect="BTS"),
                _message("merci", "thank", expect="Avec plaisir"),
                _message("les [cap](level) du campus [sécurité](sector)", "search_campus", campus="securite")]
    parses = [_parse("search_campus"), _parse("greet"), _parse("ask_campus_trainings")]
    answers = ["3 BTS correspondent", "Bonjour !", "Aucun campus"]
    result = score("test", messages, parses, answers, CAMPUS_NAMES)
    # refine_search and search_campus both run action_search_campus (data/rules.yml); only the first is answered right
    assert (result.intent_errors, result.intent_errors_same_action, result.intent_errors_answered_right) == (3, 1, 1)


def test_an_entity_with_a_shifted_span_is_wrong():
    messages = [_message("le [lycée suger](establishment)", "ask_establishment_campus", expect="Création numérique")]
    result = score("test", messages, [_parse("ask_establishment_campus", ("establishment", 0, 15))],
                   ["Création numérique"], {})
    assert (result.entity_precision, result.entity_recall, result.entity_f1) == (0.0, 0.0, 0.0)


def test_the_answer_is_what_the_user_sees_texts_and_button_titles():
    messages = [{"text": "Voici :"}, {"buttons": [{"title": "Métiers de la sécurité", "payload": "/x"}]}]
    assert answer_text(messages) == "Voici :\n\n[boutons] Métiers de la sécurité"
    assert expected_fragment(_message("campus sécurité", "search_campus", campus="securite"), CAMPUS_NAMES) == \
        "Métiers de la sécurité"


def test_percentiles_of_latencies():
    values = list(range(1, 101))
    assert (percentile(values, .5), percentile(values, .95), percentile(values, .99)) == (51, 95, 99)


def _results(p95_at_10: float, stock_rate: float) -> dict:
    def level(users, p50, p95, rate, errors=0):
        return {"concurrency": users, "messages": users * 10, "errors": errors, "empty_replies": 0, "seconds": 1.0,
                "p50_ms": p50,
                "p95_ms": p95, "p99_ms": p95, "messages_per_second": rate}

    quality = {set_name: [{"system": name, "intent_accuracy": acc, "intent_macro_f1": acc, "entity_precision": acc,
                           "entity_recall": acc, "entity_f1": acc, "answer_accuracy": acc, "messages": count,
                           "confusions": [], "intent_errors": 13, "intent_errors_same_action": 5,
                           "intent_errors_answered_right": 9}
                          for name, acc in (("cmq", .96), ("default", .80), ("tfidf", .85))]
               for set_name, count in (("test verrouillé", 330), ("développement", 283))}
    return {"date": "2026-11-28", "cores": 2, "turns": 10, "concurrency": [1, 10],
            "training_s": {"cmq": 150, "rasa-default": 100, "stock": 70}, "model_mb": {"cmq": 10, "stock": 20},
            "quality": quality, "kb_queries_ms": {"count": 800, "p50": 1, "p95": 2, "p99": 3},
            "serving": {"cmq": {"startup_s": 25, "levels": [level(1, 20, 40, 30), level(10, 100, p95_at_10, 70)],
                                "rasa_memory": {"rss_mb": 800, "peak_rss_mb": 900},
                                "action_server_memory": {"rss_mb": 200, "peak_rss_mb": 210}},
                        "stock": {"startup_s": 41, "levels": [level(1, 50, 90, 20), level(10, 400, 820, stock_rate)],
                                  "rasa_memory": {"rss_mb": 1100, "peak_rss_mb": 1180}}}}


@pytest.mark.parametrize("p95_at_10, stock_rate, missed", [
    (150, 20, []),
    (250, 30, ["10 conversations : p95 ≤ 200 ms", "10 conversations : débit ≥ 2,5 × Rasa stock"]),
])
def test_targets_are_marked_reached_or_not(p95_at_10, stock_rate, missed):
    rows = report.targets(_results(p95_at_10, stock_rate))
    assert [goal for goal, _, reached in rows if not reached] == missed


def test_the_report_has_every_table_and_the_readme_summary_the_figures():
    results = _results(150, 20)
    text = report.markdown(results)
    for heading in ("### Test verrouillé (330 messages", "### Développement (283 messages", "## Latence et débit",
                    "## Coût", "## Objectifs"):
        assert heading in text
    assert text.index("### Test verrouillé") < text.index("### Développement")
    assert "sur 13 intentions fausses, 5 mènent à la même action que l'intention attendue" in text
    assert "et 9 reçoivent quand même une réponse juste" in text
    assert "| 10 | Orientation CMQ | 100 | 150 | 150 | 70 | 0 | 0 | 0.18× | 3.50× |" in text
    summary = report.readme_summary(results)
    assert "10 conversations simultanées : p50 100 ms, p95 150 ms, 70 msg/s, 0 erreur" in summary
    assert "qualité sur les 330 messages du test verrouillé" in summary and "intentions 96.0 %" not in summary


def test_the_cluster_is_reported_beside_the_single_server_or_said_skipped():
    results = _results(150, 20)
    cluster_levels = [dict(level, messages_per_second=level["messages_per_second"] * 2)
                      for level in results["serving"]["cmq"]["levels"]]
    results["serving"]["cluster"] = {"startup_s": 30, "levels": cluster_levels}
    assert "| 10 | Orientation CMQ, grappe de 2 instances (`make run-cluster`) | 100 | 150 | 150 | 140 |" in \
        report.markdown(results)
    assert "grappe de 2 instances : p95 150 ms, 140 msg/s, 0 erreur ;" in report.readme_summary(results)
    assert ("Grappe, 10 conversations : débit ≥ 3,5 × Rasa stock", "7.00×", True) in report.targets(results)
    results["serving"]["cluster"] = {"skipped": "Redis ne répond pas"}
    assert "Grappe non mesurée : Redis ne répond pas." in report.markdown(results)
    assert "grappe" not in report.readme_summary(results)


NAMES = {key: f"Campus {key}" for key in "abcdefghijk"}  # 11 campuses


@pytest.mark.parametrize("text, right", [
    ("1. Campus a\n2. Campus b\n3. Campus c", True),
    ("1. Campus b\n2. Campus c\n3. Campus d\n4. Campus a", False),  # fourth named
    ("\n".join(f"• Campus {key}" for key in "abcdefghij"), False),  # the list of (nearly) every campus
    (answer_text([{"text": "De quel campus parlez-vous ?", "buttons": [{"title": "Campus a", "payload": "/a"}]}]),
     False),  # a button is not an answer
])
def test_a_campus_answer_is_right_only_among_the_first_three_named_and_not_the_full_list(text, right):
    message = _message("un campus", "search_campus", campus="a")
    assert is_right(message, text, NAMES) is right


def test_a_fact_answer_must_contain_the_fact():
    message = _message("c koi parcoursup", "ask_orientation", expect="plateforme nationale")
    assert is_right(message, "Parcoursup est la plateforme nationale…", NAMES)
    assert not is_right(message, "De quel campus parlez-vous ?", NAMES)


def test_a_scripted_turn_needs_every_expected_fragment_and_no_forbidden_one():
    turn = Turn("c koi parcoursup", ("Parcoursup", "plateforme"), ("De quel campus",))
    assert turn.is_right("PARCOURSUP est la plateforme…")
    assert not turn.is_right("Parcoursup ?")
    assert not turn.is_right("Parcoursup est la plateforme… De quel campus parlez-vous ?")


def test_conversations_are_played_in_their_own_conversation_and_scored_by_persona():
    conversations = [Conversation("a", "eleve", (Turn("bonjour", ("Bonjour",)), Turn("et après ?", ("après",)))),
                     Conversation("b", "parent", (Turn("merci", ("plaisir",)),))]
    senders = []

    def ask(sender, text):
        senders.append(sender)
        return {"bonjour": "Bonjour !", "et après ?": "Je ne sais pas", "merci": "Avec plaisir"}[text]

    scores = play(ask, conversations)
    assert (scores.turns, scores.turns_right, scores.share_right) == (3, 2, round(2 / 3, 4))
    assert scores.by_persona == {"eleve": 0.5, "parent": 1.0}
    assert senders[0] == senders[1] != senders[2]
    assert scores.failures[0].startswith("- a, tour 2 « et après ? » : attendu ['après']")


def test_the_report_gives_the_share_of_scripted_turns_right():
    results = _results(150, 20)
    results["serving"]["cmq"]["conversations"] = {"conversations": 45, "turns": 150, "turns_right": 138,
                                                  "share_right": .92, "by_persona": {"eleve": .9}, "failures": []}
    assert "138 tours justes sur 150 (92.0%)" in report.markdown(results)
    assert ("Conversations scriptées : tours justes ≥ 90 %", "92.0% (138/150)", True) in report.targets(results)


def test_the_cost_of_a_turn_is_reported_by_stage_and_by_conversation_length():
    results = _results(150, 20)
    results["serving"]["cmq"]["profile"] = {"turns": 400, "cpu_ms_per_message": {"rasa": 21.5, "action_server": 3.1},
                                            "stages": {
        "request": {"ms_per_turn": 40.0}, "locked turn": {"ms_per_turn": 36.0}, "turn": {"ms_per_turn": 35.0},
        "graph: DIETClassifier": {"ms_per_turn": 8.0}, "store: read": {"ms_per_turn": 2.0},
        "store: write": {"ms_per_turn": 4.0}, "action server call": {"ms_per_turn": 10.0}}}
    for system, rates in (("cmq", (60, 57)), ("stock", (40, 20))):
        results["serving"][system]["length"] = {
            str(turns): {"messages_per_second": rate, "p95_ms": 300, "errors": 0}
            for turns, rate in zip((10, 100), rates, strict=True)}
    results["serving"]["cmq"]["stored"] = {"bytes_per_turn": 5200, "events_per_turn": 9.5}
    text = report.markdown(results)
    assert "| Graphe : DIETClassifier | 8.0 | 20.0% |" in text
    assert "| Reste du processeur Rasa | 11.0 | 27.5% |" in text  # 35 - (8 + 2 + 4 + 10)
    assert "| Canal REST, JSON, réponse | 4.0 | 10.0% |" in text
    assert "| Verrou de la conversation | 1.0 | 2.5% |" in text
    assert "| Orientation CMQ | 60 | 57 | 95% | 300 ms | 0 |" in text
    assert "| Rasa stock (`rasa init`) | 40 | 20 | 50% | 300 ms | 0 |" in text
    assert "5200 octets et 9.5 événements par tour" in text
    assert "serveur Rasa 21.5 ms, serveur d'actions 3.1 ms" in text
    assert ("Conversations de 100 tours : débit ≥ 90% de celui à 10 tours", "95%", True) in \
        [row for row in report.targets(results) + report.turn_cost.targets(results)]
    assert "## Ce qui retient" not in text  # every throughput and latency target reached


def test_what_holds_back_a_missed_throughput_target_is_said_with_what_the_cores_allow():
    results = _results(150, 30)  # 70 msg/s against stock's 30: 2.3 times, short of 2.5
    results["serving"]["cmq"]["profile"] = {"turns": 400, "cpu_ms_per_message": {"rasa": 16.0, "action_server": 4.0},
                                            "stages": {
        "request": {"ms_per_turn": 20.0}, "locked turn": {"ms_per_turn": 20.0}, "turn": {"ms_per_turn": 20.0},
        "graph: DIETClassifier": {"ms_per_turn": 8.0}, "action server call": {"ms_per_turn": 5.0}}}
    text = report.markdown(results)
    assert "Les étapes les plus lourdes du tour profilé : Graphe : DIETClassifier 8.0 ms (40%)" in text
    assert "il sert au plus 62 messages/s" in text
    assert "les 2 cœurs de la machine servent au plus 100 messages/s, soit 3.3 fois le meilleur débit" in text



def test_the_reply_lengths_of_the_campus_answers_are_measured_and_reported(sqlite_kb, monkeypatch):
    import actions.base
    from bench import reply_lengths

    monkeypatch.setattr(actions.base, "_knowledge_base", sqlite_kb)
    lengths = reply_lengths.measure()
    assert lengths["campuses"] == len(sqlite_kb.all_campuses()) == 12 and lengths["first"]["address_share"] == 0
    assert lengths["first"]["max"] < lengths["more"]["median"]
    results = {**_results(150, 20), "reply_lengths": lengths}
    assert "- Première réponse (la fiche) : médiane" in report.markdown(results)
    [row] = [row for row in report.targets(results) if row[0].startswith("Première réponse sur un campus")]
    assert row[2] is (lengths["first"]["median"] <= 350)
