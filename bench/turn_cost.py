"""The cost of one turn, for bench/results.md: where its time goes in the served assistant
(the stage timers of bot/extensions/profiling.py), and whether it grows with the conversation (20
conversations of 10, then 100 turns, this assistant and stock Rasa), with bench/turn-cost.png.
"""

from __future__ import annotations

from knowledge.settings import PROJECT_ROOT

PLOT = PROJECT_ROOT / "bench" / "turn-cost.png"
FLAT_TARGET = 0.90  # throughput at 100 turns / at 10 turns (issue 14)

STAGE_LABELS = {
    "channel": "Canal REST, JSON, réponse", "lock": "Verrou de la conversation",
    "store: read": "Magasin : lecture", "store: write": "Magasin : écriture",
    "action server call": "Serveur d'actions (réseau et action)", "processor": "Reste du processeur Rasa",
}


def exclusive_stages(profile: dict) -> list[tuple[str, float]]:
    """(label, ms per turn) of stages that do not overlap, summing to the whole request:
    the channel around the lock, the lock around the turn, the turn's parts."""
    stages = {name: values["ms_per_turn"] for name, values in profile["stages"].items()}
    request, locked, turn = stages.get("request", 0.0), stages.get("locked turn", 0.0), stages.get("turn", 0.0)
    parts = [(name, ms) for name, ms in stages.items() if name.startswith("graph: ")]
    parts += [(name, stages.get(name, 0.0)) for name in ("store: read", "store: write", "action server call")]
    inner = sum(ms for _, ms in parts)
    parts += [("processor", max(turn - inner, 0.0)), ("lock", max(locked - turn, 0.0)),
              ("channel", max(request - locked, 0.0))]
    return [(STAGE_LABELS.get(name, name.replace("graph: ", "Graphe : ")), round(ms, 2))
            for name, ms in sorted(parts, key=lambda part: -part[1]) if ms > 0]


def markdown(results: dict) -> list[str]:
    serving = results["serving"]
    lines = []
    profile = serving["cmq"].get("profile")
    if profile:
        stages = exclusive_stages(profile)
        total = sum(ms for _, ms in stages)
        lines += ["## Où passe le temps d'un tour", "",
                  "Minuteries dans le serveur Rasa servi comme `make run` (`CMQ_PROFILE`, "
                  f"`bot/extensions/profiling.py`), sur {profile['turns']} tours joués une conversation à la fois "
                  "(ainsi chaque étape compte son propre temps, pas l'attente des autres conversations). Temps "
                  "d'horloge par tour, étapes sans chevauchement.", "",
                  "| Étape | ms par tour | Part |", "|---|---|---|"]
        lines += [f"| {label} | {ms} | {ms / total:.1%} |" for label, ms in stages]
        lines += [f"| **Tour entier (requête REST)** | **{round(total, 1)}** | |", ""]
        cpu = profile.get("cpu_ms_per_message")
        if cpu:
            lines += [f"Temps de processeur par message : serveur Rasa {cpu['rasa']} ms, serveur d'actions "
                      f"{cpu['action_server']} ms (mesuré dans /proc sur les mêmes tours).", ""]
    if "length" in serving["cmq"] and "length" in serving["stock"]:
        lines += ["## Coût d'un tour selon la longueur de la conversation", "",
                  "20 conversations simultanées de 10 tours, puis de 100 tours, sur chaque serveur seul. "
                  f"Objectif : à 100 tours, au moins {FLAT_TARGET:.0%} du débit à 10 tours.", "",
                  "| Système | msg/s à 10 tours | msg/s à 100 tours | 100 / 10 | p95 à 100 tours | Erreurs |",
                  "|---|---|---|---|---|---|"]
        for system, label in (("cmq", "Orientation CMQ"), ("stock", "Rasa stock (`rasa init`)")):
            short, long = serving[system]["length"]["10"], serving[system]["length"]["100"]
            lines.append(f"| {label} | {short['messages_per_second']} | {long['messages_per_second']} | "
                         f"{long['messages_per_second'] / short['messages_per_second']:.0%} | {long['p95_ms']} ms | "
                         f"{short['errors'] + long['errors']} |")
        stored = serving["cmq"].get("stored")
        if stored:
            lines += ["", f"Magasin de conversations de ce projet : {stored['bytes_per_turn']} octets et "
                      f"{stored['events_per_turn']} événements par tour d'utilisateur."]
        lines += ["", "![Coût d'un tour](turn-cost.png)", ""]
    return lines


def targets(results: dict) -> list[tuple[str, str, bool]]:
    serving = results["serving"]
    if "length" not in serving["cmq"]:
        return []
    short, long = serving["cmq"]["length"]["10"], serving["cmq"]["length"]["100"]
    ratio = long["messages_per_second"] / short["messages_per_second"]
    return [(f"Conversations de 100 tours : débit ≥ {FLAT_TARGET:.0%} de celui à 10 tours", f"{ratio:.0%}",
             ratio >= FLAT_TARGET)]


def plot(results: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    serving = results["serving"]
    profile = serving["cmq"].get("profile")
    if not profile or "length" not in serving["stock"]:
        return
    figure, (bars, curve) = plt.subplots(1, 2, figsize=(10, 4.2), dpi=100)
    bottom = 0.0
    colours = plt.get_cmap("tab20").colors
    for index, (label, ms) in enumerate(exclusive_stages(profile)):
        bars.bar(["Orientation CMQ"], [ms], bottom=bottom, color=colours[index % len(colours)], label=label)
        bottom += ms
    bars.set_ylabel("ms par tour (horloge)")
    bars.set_title("Étapes d'un tour")
    bars.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    for system, label, style in (("cmq", "Orientation CMQ", "-"), ("stock", "Rasa stock", "--")):
        length = serving[system]["length"]
        curve.plot([10, 100], [length["10"]["messages_per_second"], length["100"]["messages_per_second"]], style,
                   marker="o", label=label)
    curve.set_xlabel("tours par conversation")
    curve.set_ylabel("messages par seconde (20 conversations)")
    curve.set_title("Débit selon la longueur")
    curve.set_ylim(bottom=0)
    curve.legend(fontsize=8)
    curve.grid(True, alpha=.3)
    figure.tight_layout()
    figure.savefig(PLOT)
    plt.close(figure)


def what_limits(results: dict, missed: list[str]) -> list[str]:
    """For throughput or latency targets not reached: the heaviest stages of the profiled turn,
    and what the machine's cores allow at the measured CPU per message."""
    profile = results["serving"]["cmq"].get("profile")
    if not profile or not any("Rasa stock" in goal for goal in missed):
        return []
    stages = exclusive_stages(profile)
    total = sum(ms for _, ms in stages) or 1.0
    heaviest = ", ".join(f"{label} {ms} ms ({ms / total:.0%})" for label, ms in stages[:4])
    lines = ["## Ce qui retient les objectifs de débit et de latence non atteints", "",
             f"Les étapes les plus lourdes du tour profilé : {heaviest}."]
    cpu = profile.get("cpu_ms_per_message")
    if cpu:
        per_message = cpu["rasa"] + cpu["action_server"]
        stock = max(level["messages_per_second"] for level in results["serving"]["stock"]["levels"])
        machine = results["cores"] * 1000 / per_message
        lines += ["", f"Un serveur Rasa est une boucle d'événements sur un cœur : à {cpu['rasa']} ms de processeur par "
                  f"message, il sert au plus {1000 / cpu['rasa']:.0f} messages/s. Avec le serveur d'actions "
                  f"({cpu['action_server']} ms par message), les {results['cores']} cœurs de la machine servent "
                  f"au plus {machine:.0f} messages/s, soit {machine / stock:.1f} fois le meilleur débit de Rasa "
                  "stock dans ce banc, avant le générateur de charge (sur la même machine) et, pour la grappe, "
                  "nginx, PostgreSQL et Redis."]
    return lines
