"""The Content-Security-Policy in a real browser: the pages work under it without a single
violation, and script injected into a page does not run."""
from __future__ import annotations

import re

import pytest

# Every violation the page reports, recorded before any of the page's own code runs.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture()
def watched(browser, base_url):
    """A page whose CSP violations and console errors are collected, and its responses."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=base_url)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text else None)
    yield page
    context.close()


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations")


def visit(page, url: str):
    response = page.goto(url)
    page.wait_for_load_state("load")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    return response


def test_search_and_report_pages_work_under_the_policy_without_a_violation(watched):
    page = watched
    visit(page, "/")
    page.get_by_label("Search Ofsted children's services reports").fill("return home interviews")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_load_state()
    assert page.locator(".result").count() > 0
    assert page.evaluate("document.documentElement.classList.contains('js-enabled')")  # our JS ran
    # The stylesheet applied: the skip link is moved off screen by style.css.
    assert page.locator("a.skip-link").bounding_box()["y"] < 0 or \
        page.locator("a.skip-link").evaluate("e => getComputedStyle(e).position") == "absolute"
    # Type-to-filter (script) and "Show all" (no script) on a long facet.
    facet = page.locator("#facet-authority")
    facet.get_by_label("Filter local authority options").fill("calder")
    assert facet.locator(".checkboxes__item:visible").count() == 1
    assert violations(page) == []

    page.locator(".result__link").first.click()
    page.wait_for_load_state()
    assert re.search(r"/reports/\w+", page.url)
    assert page.locator("mark").count() > 0 and page.locator(":target").count() == 1
    assert violations(page) == []

    original = page.locator("a[href^='/source/']").first
    href = original.get_attribute("href")
    response = page.goto(href.split("#")[0])
    assert response.status == 200 and "default-src 'none'" in \
        response.headers["content-security-policy"]
    assert "Inspection" in page.locator("body").inner_text()
    assert violations(page) == []
    assert page.console_errors == []


@pytest.mark.parametrize("url", ["/search?q=home&from=2015-13", "/no/such/page",
                                 "/search?q=zzqxv"])
def test_error_and_empty_pages_have_no_violation(watched, url):
    visit(watched, url)
    assert violations(watched) == [] and watched.console_errors == []


def test_script_injected_into_a_page_does_not_run(watched):
    """What the policy is for: if markup ever slipped through, its script would not run."""
    page = watched
    visit(page, "/search?q=return+home+interviews")
    page.evaluate("""() => {
        const s = document.createElement("script");
        s.textContent = "window.__injected = true";
        document.body.appendChild(s);
        document.body.insertAdjacentHTML("beforeend",
            '<img src="data:," onerror="window.__injected = true">');
        const b = document.createElement("div");
        b.setAttribute("style", "position: fixed");
        document.body.appendChild(b);
    }""")
    page.wait_for_function("window.__cspViolations.length >= 3")
    assert page.evaluate("window.__injected") is None
    found = " ".join(violations(page))
    assert "script-src" in found and "style-src" in found
