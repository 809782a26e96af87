"""Terminal safety: control characters in user text are shown escaped, never interpreted."""

from typing import Any

import itstrat_engine as it
from itstrat_engine.report import plan_view, prioritization_view, render_text

HOSTILE = "CRM\x1b[2J\x1b[31m rollout\r\x00\u202egnp.exe"


def engagement() -> it.Engagement:
    data: dict[str, Any] = {
        "engagement": {"client": "Acme\x1b]0;owned\x07", "start": "2027-Q1", "periods": 2},
        "initiative": [{"id": "crm", "name": HOSTILE, "value": 3}],
        "plan": {"time_limit": 10},
    }
    return it.from_dict(data)


def test_plan_text_escapes_control_characters() -> None:
    """Names and the client in the roadmap never reach the terminal raw."""
    text = render_text(plan_view(it.plan(engagement())))
    assert not any(ch in text for ch in "\x1b\r\x00\x07\u202e")
    assert "CRM\\x1b[2J\\x1b[31m" in text
    assert "Acme\\x1b]0;owned\\x07" in text


def test_ranking_text_escapes_because_texts_and_tiers() -> None:
    """A pack's because text and tier are shown escaped in the ranking."""
    pack = it.pack_from_dict(
        {
            "pack": {"id": "p", "title": "P", "subject": "initiative"},
            "rule": [{"id": "r", "add": "1", "tier": "top\x1b[5m", "because": "why\rnot"}],
        }
    )
    e = engagement()
    text = render_text(prioritization_view(e, it.prioritize(e, [pack])))
    assert "\x1b" not in text
    assert "\r" not in text
    assert "why\\rnot" in text
