"""Views of rule packs: the list ``itstrat rules list`` prints."""

from collections.abc import Sequence

from itstrat_engine.report.views import Column, Document, Row, Table
from itstrat_engine.rules import Pack

__all__ = ["packs_table", "packs_view"]


def packs_table(packs: Sequence[Pack]) -> Table:
    """One row per pack: its id, subject and title."""
    return Table(
        columns=(
            Column(title="pack"),
            Column(title="subject", min_width=10),
            Column(title="title"),
        ),
        rows=tuple(Row(cells=(pack.id, pack.subject, pack.title)) for pack in packs),
        header=False,
        indent=0,
    )


def packs_view(packs: Sequence[Pack]) -> Document:
    """The packs table alone, without a title."""
    return Document(title=None, lead=(packs_table(packs),))
