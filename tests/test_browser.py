"""The demo page and its chat widget in a real browser (Debian's Chromium driven by
Playwright), against the running assistant. Screenshots go to test_artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.settings import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = PROJECT_ROOT / "test_artifacts"
SOCKET_IO_CLIENT = PROJECT_ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"  # npm development dependency, served locally
WEBCHAT = PROJECT_ROOT / "var" / "webchat" / "rasa-webchat-1.0.1.js"  # `make webchat`: from npm, served locally
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ANSWER_TIMEOUT = 30_000
SETTLE_MS = 800

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium: run `make chromium` (Debian package)"),
    pytest.mark.skipif(not SOCKET_IO_CLIENT.exists(), reason="no socket.io client: run `make widget` (npm ci)"),
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, stack):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    page = context.new_page()
    page.goto(stack.web_url + "/")
    page.locator(".cmq-bot").first.wait_for()
    yield page
    context.close()


def bot_messages(page) -> list[str]:
    return page.locator(".cmq-bot").all_inner_texts()


def reply_after(page, before: int) -> str:
    """Wait for the assistant's reply that starts at bot message number `before`, every message of it
    (socket.io brings them one by one, with no end mark: the reply is whole when none follows for
    SETTLE_MS), and return its text."""
    bots = page.locator(".cmq-bot")
    bots.nth(before).wait_for(timeout=ANSWER_TIMEOUT)
    count = 0
    while count != bots.count():
        count = bots.count()
        page.wait_for_timeout(SETTLE_MS)
    return "\n".join(bots.all_inner_texts()[before:])


def ask(page, text: str) -> str:
    """Type a message as a user would, and return the assistant's whole reply."""
    before = page.locator(".cmq-bot").count()
    page.locator(".cmq-input").fill(text)
    page.locator(".cmq-input").press("Enter")
    return reply_after(page, before)


def test_the_page_opens_on_a_welcome_with_suggested_questions(page):
    assert page.locator("h1").inner_text() == "Orientation CMQ"
    assert "Bonjour" in bot_messages(page)[0]
    assert page.locator(".cmq-choice").all_inner_texts() == [
        "Je cherche une formation", "Je ne sais pas quoi faire", "C'est quoi un CMQ ?", "Un BTS dans le 93"]
    log = page.locator(".cmq-log")
    assert log.get_attribute("role") == "log" and log.get_attribute("aria-live") == "polite"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget-desktop-welcome.png"))


def test_a_question_a_button_and_a_reload_keep_the_conversation(page):
    answer = ask(page, "quels campus pour travailler dans l'aéronautique ?")
    assert "Aéronautique et spatial" in answer
    before = page.locator(".cmq-bot").count()
    page.get_by_role("button", name="Aéronautique et spatial", exact=True).click()
    assert "Évry-Courcouronnes" in reply_after(page, before)
    page.screenshot(path=str(ARTIFACTS / "widget-desktop-conversation.png"))

    history = bot_messages(page)
    page.reload()
    page.locator(".cmq-bot").first.wait_for()
    assert bot_messages(page) == history
    assert "Évry-Courcouronnes (91)" in ask(page, "où se trouve ce campus ?")  # the server kept the context


def test_markup_typed_by_the_user_is_shown_as_text_and_never_runs(page):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    ask(page, "<img src=x onerror=alert(1)>")
    assert page.locator(".cmq-user").last.inner_text().endswith("<img src=x onerror=alert(1)>")
    assert page.locator(".cmq-log img").count() == 0
    page.wait_for_timeout(500)
    assert dialogs == []


def test_links_in_answers_are_safe_links(page):
    ask(page, "qui porte le campus mode ?")
    assert page.locator(".cmq-bot a").count() == 0  # addresses are kept for the sources answer
    ask(page, "quelles sont tes sources ?")
    links = page.locator(".cmq-bot a")
    assert links.count() >= 1
    assert all(link.get_attribute("rel") == "noopener noreferrer" and
               link.get_attribute("href").startswith("https://") for link in links.all())


def test_the_widget_works_by_keyboard_alone(page):
    page.locator("body").focus()
    for _ in range(40):  # past the campus map's links
        if page.evaluate("document.activeElement.classList.contains('cmq-input')"):
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('cmq-input')")
    before = page.locator(".cmq-bot").count()
    page.keyboard.type("un BTS c'est quel niveau ?")
    page.keyboard.press("Enter")
    assert "niveau 5" in reply_after(page, before)
    page.keyboard.press("Escape")
    assert page.locator(".cmq-panel").is_hidden()
    page.keyboard.press("Enter")  # focus is back on the launcher
    assert page.locator(".cmq-panel").is_visible()


def test_the_widget_fits_a_phone_screen(browser, stack):
    context = browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(stack.web_url + "/")
    page.locator(".cmq-bot").first.wait_for()
    ask(page, "je sais pas quoi faire")
    box = page.locator(".cmq-panel").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.locator(".cmq-send").is_visible()
    page.screenshot(path=str(ARTIFACTS / "widget-phone-375.png"))
    context.close()


def test_the_widget_reconnects_after_a_server_restart(page, stack):
    assert "Aéronautique et spatial" in ask(page, "campus aéronautique")
    stack.restart_rasa()
    page.wait_for_function("document.querySelector('.cmq-status').textContent === ''", timeout=30_000)
    assert "Santé, autonomie et bien vieillir" in ask(page, "campus santé")


def test_a_message_typed_while_the_assistant_is_away_is_sent_when_it_is_back(page, stack):
    stack.stop_rasa()
    page.wait_for_function("document.querySelector('.cmq-status').textContent !== ''", timeout=30_000)
    before = page.locator(".cmq-bot").count()
    page.locator(".cmq-input").fill("campus santé")
    page.locator(".cmq-input").press("Enter")
    assert "votre message partira" in page.locator(".cmq-status").inner_text()
    stack.start_rasa()
    assert "Santé, autonomie et bien vieillir" in reply_after(page, before)
    assert page.locator(".cmq-status").inner_text() == ""


def test_a_campus_is_shown_as_a_card_with_its_levels_and_its_next_steps(page):
    page.locator(".cmq-input").fill("parle-moi du campus création numérique")
    page.locator(".cmq-input").press("Enter")
    card = page.locator(".cmq-bot .cmq-card").last
    card.wait_for(timeout=ANSWER_TIMEOUT)
    assert card.locator("h3").inner_text() == "Création numérique"
    assert card.locator(".cmq-badge").inner_text() == "campus labellisé"
    assert card.locator(".cmq-card-place").inner_text() == "Saint-Denis (93)"
    assert [step.split("\n")[0] for step in card.locator(".cmq-covered").all_inner_texts()] == ["bac", "bac+2"]
    assert card.locator(".cmq-step").count() == 6
    assert "À vérifier : le renouvellement du label de 2013" in card.inner_text()
    assert page.locator(".cmq-buttons .cmq-choice").all_inner_texts()[:4] == [
        "Les formations", "Les membres", "Plus de détails", "Les sources"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".cmq-panel").screenshot(path=str(ARTIFACTS / "widget-campus-card.png"))
    assert axe_violations(page) == []
    before = page.locator(".cmq-bot").count()
    page.get_by_role("button", name="Plus de détails", exact=True).click()
    assert "Dates clés" in reply_after(page, before)
    assert page.locator(".cmq-bot .cmq-card").count() == 1  # the details are text, the card stays above


def test_the_map_shows_every_placed_campus_and_a_click_asks_the_assistant_about_it(page):
    from knowledge.queries import open_knowledge_base

    kb = open_knowledge_base()
    placed = sorted(c.key for c in kb.all_campuses() if kb.positions.of(c.commune))
    points = page.locator("svg.cmq-map a[data-campus]")
    assert sorted(point.get_attribute("data-campus") for point in points.all()) == placed
    assert page.locator(".cmq-map-list a").count() == len(kb.all_campuses())  # the text alternative: every campus
    assert page.locator("svg.cmq-map .cmq-map-department").count() == 8
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".cmq-map-figure").screenshot(path=str(ARTIFACTS / "campus-map.png"))
    before = page.locator(".cmq-bot").count()
    page.locator('svg.cmq-map a[data-campus="creation-numerique"]').click()
    answer = reply_after(page, before)
    assert "Le campus Création numérique" in page.locator(".cmq-user").last.inner_text()
    assert "Saint-Denis" in answer and "création numérique" in answer.lower()


def test_a_campus_of_the_map_is_reached_and_chosen_by_keyboard(page):
    page.locator("body").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('svg.cmq-map') !== null"):
            break
    campus = page.evaluate("document.activeElement.getAttribute('data-campus')")
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert campus and label
    before = page.locator(".cmq-bot").count()
    page.keyboard.press("Enter")
    assert label.split(" — ")[0] in reply_after(page, before)


def test_the_map_fits_a_phone_screen(browser, stack):
    context = browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(stack.web_url + "/")
    box = page.locator("svg.cmq-map").bounding_box()
    assert box["width"] > 250 and box["x"] + box["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


def test_an_answer_with_campuses_shows_them_on_the_map(page):
    ask(page, "quels campus pour l'aéronautique ?")
    page.locator(".cmq-on-map").click()
    highlighted = page.locator("svg.cmq-map a.cmq-map-highlight")
    assert sorted(point.get_attribute("data-campus") for point in highlighted.all()) == [
        "aeronautique-meaux", "aeronautique-spatial"]
    assert page.locator('svg.cmq-map a[data-campus="creation-numerique"]').get_attribute("class").endswith("faded")
    page.locator(".cmq-map-figure").screenshot(path=str(ARTIFACTS / "campus-map-highlight.png"))


def axe_violations(page) -> list[str]:
    """What axe-core finds on the page as it is (WCAG A and AA rules, and best practices)."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document)).violations.map("
                          "v => `${v.id} (${v.impact}) : ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)")
    return found


@pytest.mark.parametrize("width", [1280, 375])
def test_axe_finds_no_violation_on_the_page_the_widget_the_map_and_an_answer(browser, stack, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="fr-FR")
    page = context.new_page()
    page.goto(stack.web_url + "/")
    page.locator(".cmq-bot").first.wait_for()
    assert axe_violations(page) == []  # the page, the map and the widget open on its welcome
    ask(page, "quels campus pour l'aéronautique ?")
    assert axe_violations(page) == []  # after an answer with buttons
    context.close()


def test_axe_does_report_a_violation_when_there_is_one(page):
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"x.png\">')")
    assert any(violation.startswith("image-alt") for violation in axe_violations(page))


WEBCHAT_PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>rasa-webchat</title></head>
<body><div id="webchat"></div><script src="/rasa-webchat.js"></script>
<script>WebChat.default({selector: "#webchat", initPayload: "/get_started", socketUrl: "%s", socketPath: "/socket.io/",
  title: "Orientation CMQ", embedded: true, params: {storage: "session"}}, null);</script></body></html>"""


@pytest.mark.skipif(not WEBCHAT.exists(), reason="no rasa-webchat bundle: run `make webchat` (npm pack)")
def test_rasa_webchat_as_integrators_embed_it_welcomes_follows_a_button_and_keeps_the_lines(browser, stack):
    """rasa-webchat 1.0.1, the widget many sites embed Rasa with: its first message is
    /get_started, it shows buttons as quick replies and renders answers as Markdown."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.route(stack.web_url + "/rasa-webchat.js", lambda route: route.fulfill(
        path=str(WEBCHAT), content_type="application/javascript"))
    # A page of the demo server's origin (the one Rasa's CORS allows) that runs no script of its
    # own, then the integrator's page written into it: Chromium lets a page it loaded from the
    # loopback address reach the Rasa server there, not a page the test would make up.
    page.goto(stack.web_url + "/widget.css")
    page.set_content(WEBCHAT_PAGE % stack.rasa_url)
    answers = page.locator(".rw-response")
    page.locator(".rw-reply", has_text="Je cherche une formation").wait_for(timeout=ANSWER_TIMEOUT)
    welcome = " ".join(answers.all_inner_texts())
    assert "Bonjour" in welcome and "compris" not in welcome  # the welcome, not « je n'ai pas compris »

    page.locator(".rw-new-message").fill("parle-moi du campus création numérique")
    page.locator(".rw-new-message").press("Enter")
    page.locator(".rw-reply", has_text="Plus de détails").wait_for(timeout=ANSWER_TIMEOUT)
    card = page.locator(".rw-response", has_text="Tête de réseau").last
    lines = card.inner_text().splitlines()  # Markdown keeps each line of the answer on its own line
    assert lines[0] == "Création numérique — campus labellisé, Saint-Denis (93)."
    assert "Tête de réseau : Lycée Suger." in lines and "Sources vérifiées le 28 novembre 2026." in lines

    page.locator(".rw-reply", has_text="Les formations").click()
    answer = page.locator(".rw-response", has_text="formations citées par mes sources")
    answer.wait_for(timeout=ANSWER_TIMEOUT)
    assert "\n• Niveau 4, bac : " in answer.inner_text()  # a line of its own, not run into the previous one
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "rasa-webchat.png"))
    context.close()
