"""The HTML and Markdown reports: self-contained, escaped, deterministic, and seen in Chromium.

The browser tests run the distribution's headless Chromium (``/usr/bin/chromium``; CI
installs it) and skip only when it is missing.
"""

import json
import re
import subprocess
from pathlib import Path

import attrs
import numpy as np
import pytest
from matplotlib import image

import itstrat_engine as it
from itstrat_engine.report.html import render_html
from itstrat_engine.report.markdown import render_markdown

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CHROMIUM = Path("/usr/bin/chromium")
# Chromium's own housekeeping (update checks, clock, accounts) is not the page's doing.
BROWSER_HOSTS = re.compile(r"^https?://([a-z0-9-]+\.)*(google\.com|googleapis\.com|gvt1\.com)/")

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")


def _with_survey(path: Path, survey: Path | None) -> it.Engagement:
    engagement = it.load(path)
    if survey is None:
        return engagement
    answers = it.read_survey_csv(survey, engagement)
    return attrs.evolve(engagement, responses=(*engagement.responses, *answers))


# name: (engagement, survey, seconds per plan); the larger examples stop at their limit
# unproven, which the report must say.
EXAMPLE_FILES = {
    "dental": ("dental-group.toml", "dental-survey.csv", 30),
    "midsize": ("midsize-manufacturer.toml", None, 10),
    "regional-health": ("regional-health.toml", "regional-health-survey.csv", 10),
}


class _Reports(dict[str, it.ClientReport]):
    """Each example's report, made when first asked for (the examples take seconds each)."""

    def __missing__(self, name: str) -> it.ClientReport:
        file, survey, seconds = EXAMPLE_FILES[name]
        engagement = _with_survey(EXAMPLES / file, None if survey is None else EXAMPLES / survey)
        self[name] = it.client_report(engagement, time_limit=seconds)
        return self[name]


@pytest.fixture(scope="module")
def reports() -> dict[str, it.ClientReport]:
    """The report of each example, planned on first use."""
    return _Reports()


def _chromium(page: Path, work: Path, *, flags: tuple[str, ...]) -> list[str]:
    """Open the page headless, with every host name unresolvable; the URLs it requested."""
    log = work / "net.json"
    subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",  # CI runs as root
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={work / 'profile'}",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--log-net-log={log}",
            *flags,
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
        cwd=work,
    )
    events = json.loads(log.read_text(encoding="utf-8"))["events"]
    urls = {
        str(event.get("params", {}).get("url", ""))
        for event in events
        if str(event.get("params", {}).get("url", "")).startswith(("http:", "https:"))
    }
    return sorted(url for url in urls if not BROWSER_HOSTS.match(url))


def _ink(png: Path) -> float:
    """The share of pixels that are not (near) white."""
    pixels = image.imread(png)[..., :3]
    return float(np.mean(np.any(pixels < 0.94, axis=-1)))


@needs_chromium
@pytest.mark.parametrize(
    "name",
    [
        "dental",
        "midsize",
        pytest.param(
            "regional-health",
            marks=[
                pytest.mark.slow,
                pytest.mark.skipif(
                    not (EXAMPLES / "regional-health.toml").exists(), reason="example not here"
                ),
            ],
        ),
    ],
)
def test_chromium_shows_every_chart_and_fetches_nothing(
    name: str, reports: dict[str, it.ClientReport], tmp_path: Path
) -> None:
    """Rendered headless: not blank, every chart an <svg> with its alt, no network request."""
    report = reports[name]
    page = tmp_path / f"{name}.html"
    it.write_report(report, page)
    html = page.read_text(encoding="utf-8")
    charts = report.charts
    assert html.count("<svg ") == len(charts)
    for chart in charts:
        assert f'aria-labelledby="{chart.id}-alt"' in html
        assert f'<figure class="chart" id="{chart.id}"' in html
    assert "<script" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    shot = tmp_path / "shot.png"
    requested = _chromium(page, tmp_path, flags=(f"--screenshot={shot}", "--window-size=1280,4000"))
    assert requested == []
    assert _ink(shot) > 0.05  # text, tables and charts: far from a blank page


@needs_chromium
def test_the_network_check_would_see_a_request(tmp_path: Path) -> None:
    """The oracle works: a page that does ask for an image shows up in the net log."""
    page = tmp_path / "asks.html"
    page.write_text(
        '<!DOCTYPE html><html><body><img src="http://report-asset.invalid/logo.png"></body></html>',
        encoding="utf-8",
    )
    shot = tmp_path / "shot.png"
    requested = _chromium(page, tmp_path, flags=(f"--screenshot={shot}",))
    assert requested == ["http://report-asset.invalid/logo.png"]


def test_the_page_forbids_scripts_and_remote_content(
    reports: dict[str, it.ClientReport],
) -> None:
    """A Content-Security-Policy allows inline styles and data: images, nothing else."""
    html = render_html(reports["dental"])
    assert "default-src 'none'; style-src 'unsafe-inline'; img-src data:" in html
    assert "@media print" in html
    assert "break-before: page" in html


def test_html_and_markdown_are_byte_identical(reports: dict[str, it.ClientReport]) -> None:
    """Equal input, equal bytes: two renders, and a report built again from the same plan."""
    report = reports["dental"]
    assert render_html(report) == render_html(report)
    assert render_markdown(report, "r_files") == render_markdown(report, "r_files")


def test_the_full_pipeline_is_deterministic(tmp_path: Path) -> None:
    """Planning and reporting twice from the file gives identical HTML and Markdown files."""
    engagement = it.generate(8, seed=4)
    outputs = []
    for run in ("a", "b"):
        folder = tmp_path / run
        folder.mkdir()
        result = it.client_report(engagement, time_limit=10)
        it.write_report(result, folder / "r.html")
        it.write_report(result, folder / "r.md")
        outputs.append(
            {
                p.relative_to(folder): p.read_bytes()
                for p in sorted(folder.rglob("*"))
                if p.is_file()
            }
        )
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) > 2  # the page, the Markdown and its charts


def test_names_are_escaped(tmp_path: Path) -> None:
    """Markup in the engagement's text shows as text in HTML and Markdown, never as markup."""
    engagement = it.generate(5, seed=2)
    hostile = "<script>alert(1)</script> & <b>bold</b>"
    first = engagement.initiatives[0]
    engagement = attrs.evolve(
        engagement,
        scope=attrs.evolve(engagement.scope, client=hostile),
        initiatives=(
            attrs.evolve(first, name=hostile, mandatory=True),
            *engagement.initiatives[1:],
        ),
    )
    result = it.client_report(engagement, time_limit=10)
    html = render_html(result)
    assert "<script>" not in html
    assert "<b>bold" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    markdown, _ = render_markdown(result, "r_files")
    assert "<script>" not in markdown
    assert "\\<script\\>" in markdown


def test_markdown_links_every_chart_and_writes_all_or_nothing(
    reports: dict[str, it.ClientReport], tmp_path: Path
) -> None:
    """Each chart is an SVG beside the .md; a failed write keeps the old report and folder."""
    report = reports["dental"]
    target = tmp_path / "board.md"
    written = it.write_report(report, target)
    folder = tmp_path / "board_files"
    assert sorted(written[1:]) == sorted(folder.iterdir())
    assert len(written) - 1 == len(report.charts)
    text = target.read_text(encoding="utf-8")
    for chart in report.charts:
        assert f"](board_files/{chart.id}.svg)" in text
        assert (folder / f"{chart.id}.svg").read_text(encoding="utf-8").startswith("<svg")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    # The .md cannot be replaced (a folder is in its way): nothing may change.
    blocked = tmp_path / "blocked.md"
    blocked.mkdir()
    (tmp_path / "blocked_files").mkdir()
    (tmp_path / "blocked_files" / "old.svg").write_text("old")
    with pytest.raises(it.UnwritableFileError):
        it.write_report(report, blocked)
    assert [p.name for p in (tmp_path / "blocked_files").iterdir()] == ["old.svg"]
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert leftovers == []
