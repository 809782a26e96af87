"""Maturity gaps: how far each IT service or capability is from where it should be.

For every service with both a ``current`` and a ``target`` maturity (0-5), the gap is
``target - current``: positive when the service must improve, negative when it is already
above target (a candidate for less investment). Rows are sorted by gap, largest first, then
by id. Services missing either rating are not guessed at: they are listed in `unrated`
(in file order) so a report can say what was not assessed.
"""

from typing import Literal

import attrs

from itstrat_engine.model import Engagement

__all__ = ["MaturityGap", "MaturityResult", "maturity_gaps"]


@attrs.frozen(kw_only=True)
class MaturityGap:
    """One service's maturity: current and target level (0-5), `gap = target - current`."""

    service: str
    name: str
    kind: Literal["service", "capability"]
    current: float
    target: float
    gap: float


@attrs.frozen(kw_only=True)
class MaturityResult:
    """Maturity gaps of every rated service (largest gap first) and the unrated services."""

    gaps: tuple[MaturityGap, ...]
    unrated: tuple[str, ...] = ()

    def gap(self, service_id: str) -> MaturityGap:
        """The row of one service (KeyError when it is unrated or unknown)."""
        for row in self.gaps:
            if row.service == service_id:
                return row
        raise KeyError(service_id)


def maturity_gaps(engagement: Engagement) -> MaturityResult:
    """Maturity gap (target - current) per service or capability, largest first.

    >>> from itstrat_engine.io import from_dict
    >>> e = from_dict({"engagement": {"client": "c", "start": "2027-Q1", "periods": 4},
    ...     "service": [{"id": "mail", "name": "Email", "current": 3, "target": 3.5},
    ...                 {"id": "backup", "name": "Backup", "current": 1, "target": 4},
    ...                 {"id": "wifi", "name": "Wi-Fi"}]})
    >>> result = maturity_gaps(e)
    >>> [(row.service, row.gap) for row in result.gaps], result.unrated
    ([('backup', 3.0), ('mail', 0.5)], ('wifi',))
    """
    rows = []
    unrated = []
    for service in engagement.services:
        if service.current is None or service.target is None:
            unrated.append(service.id)
            continue
        rows.append(
            MaturityGap(
                service=service.id,
                name=service.name,
                kind=service.kind,
                current=service.current,
                target=service.target,
                gap=service.target - service.current,
            )
        )
    rows.sort(key=lambda row: (-row.gap, row.service))
    return MaturityResult(gaps=tuple(rows), unrated=tuple(unrated))
