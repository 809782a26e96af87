"""The PDF renderer: the HTML report printed by WeasyPrint (the ``pdf`` extra).

The page is the HTML renderer's, laid out with its print stylesheet (A4, a page break
before each section), so the PDF says exactly what the HTML says.
"""

import importlib

from itstrat_engine.errors import MissingExtraError
from itstrat_engine.report.document import ClientReport
from itstrat_engine.report.html import render_html

__all__ = ["render_pdf"]


def render_pdf(report: ClientReport) -> bytes:
    """The report as the bytes of a PDF file."""
    try:
        # Imported by name: WeasyPrint ships no type information.
        weasyprint = importlib.import_module("weasyprint")
    except ImportError:
        raise MissingExtraError("the PDF report", "pdf") from None
    page = render_html(report)
    # No base URL: the page refers to nothing outside itself, so nothing is fetched.
    document = weasyprint.HTML(string=page, base_url=None)
    result: bytes = document.write_pdf()
    return result
