"""One way to drive the pages in a real browser: open a page in a language, sign in, check it.

Every browser test uses these; fixtures (`chromium`, `browser`, `screenshot_dir`) live in
`kezdesu/conftest.py`.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TEST_PASSWORD = "correct-horse-battery"  # noqa: S105 - the factories' password for test users


def open_page(browser, base_url: str, *, lang: str = "kk", viewport: dict | None = None):
    """A page in its own context (own cookies) that records what the browser complained about.

    `page.problems` collects console errors and failed requests (a request the browser aborts itself
    because the next navigation started, such as the favicon, is no fault); `page.csp_errors` the
    Content-Security-Policy refusals among them.
    """
    context = browser.new_context(viewport=viewport or DESKTOP, locale=lang)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": base_url}])
    page = context.new_page()
    page.problems, page.csp_errors = [], []

    def on_console(msg):
        if msg.type == "error":
            page.problems.append(msg.text)
        if "Content Security Policy" in msg.text:
            page.csp_errors.append(msg.text)

    page.on("console", on_console)
    page.on("requestfailed", lambda req: page.problems.append(f"{req.url} {req.failure}")
            if "ERR_ABORTED" not in (req.failure or "") else None)
    return page


def login(page, base_url: str, user, *, password: str = TEST_PASSWORD, next_url: str = "/staff/") -> None:
    """Sign `user` in through the login form (its password is set to `password` first)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    page.goto(f"{base_url}/accounts/login/?next={next_url}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base_url}{next_url}")


def submit(page, selector: str = "main form button[type=submit]") -> None:
    """Click the button that sends a form and wait until the answer has loaded.

    The answer may be the same address again (a refused form), so neither `wait_for_url` nor a bare
    `wait_for_load_state` (which the page being left already satisfies) would wait for it; the wait is
    for the navigation the click starts.
    """
    with page.expect_navigation():
        page.click(selector)


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page; return the violations rated serious or critical.

    The vendored file is added by its static URL: `add_script_tag(path=…)` would inline it, and the strict
    CSP (script-src 'self') blocks inline scripts, as it should.
    """
    assert AXE.exists()
    page.add_script_tag(url="/static/vendor/axe.min.js")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"],
             "nodes": [(n["target"], n["failureSummary"]) for n in v["nodes"]][:3]}
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def overflow(page) -> int:
    """How many CSS pixels the page is wider than its viewport (0 when nothing scrolls sideways)."""
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
