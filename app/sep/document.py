"""The SEP document and the monthly schedule as HTML pages and PDFs.

The web page and the PDF share one body template (templates/sep/_document.html); the page
links the stylesheet (static/sep.css: the Content-Security-Policy allows no inline style), the
PDF carries the same stylesheet inline, with its print rules (named landscape pages, page
numbers, the table of contents' page numbers), because the PDF renderer fetches nothing.

Making a PDF reports its steps to an optional `progress(done, total, message)` (the background
job that prepares the downloads shows them, and may stop between them): reading the plan,
writing the HTML, laying out the pages (WeasyPrint's slow step), writing the PDF.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from flask import render_template
from sqlalchemy.orm import Session
from weasyprint import HTML
from weasyprint.document import Document

from app.pdf import BASE_URL, RefuseEverything
from app.sep.charts import charts_of
from inventory.models import Plan
from inventory.queries.published import PublishedProject, published_projects
from inventory.queries.sep_document import NOT_ASSIGNED, month_lines, sep_document

STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "sep.css"
Progress = Callable[[int, int, str], None]  # done, total, what is being done now
PDF_STEPS = ("Reading the plan", "Writing the pages", "Laying out the pages", "Writing the PDF")


def no_progress(done: int, total: int, message: str) -> None:
    """Progress nobody watches (the command line, the benchmarks)."""


@cache
def stylesheet() -> str:
    """The document's stylesheet, to put inline in a PDF."""
    return STYLESHEET.read_text(encoding="utf-8")


def document_context(session: Session, plan: Plan) -> dict[str, Any]:
    """What the document's templates show of a published plan."""
    document = sep_document(session, plan)
    return {
        "doc": document,
        "plan": plan,
        "scenario": plan.scenario,
        "charts": charts_of(document),
        "not_assigned": NOT_ASSIGNED,
    }


def document_pdf(session: Session, plan: Plan, progress: Progress = no_progress) -> bytes:
    """The SEP document of a published plan as a PDF."""
    progress(0, len(PDF_STEPS), PDF_STEPS[0])
    context = document_context(session, plan)
    progress(1, len(PDF_STEPS), PDF_STEPS[1])
    html = render_template("sep/document_print.html", css=stylesheet(), **context)
    return _pdf_of(html, progress)


def laid_out(html: str) -> Document:
    """A complete HTML document's pages laid out (WeasyPrint's slow step), fetching nothing,
    as app.pdf.render_pdf does; `.write_pdf()` then writes the PDF."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # refused fetches are expected
    return HTML(string=html, base_url=BASE_URL, url_fetcher=RefuseEverything()).render()


def _pdf_of(html: str, progress: Progress) -> bytes:
    """The PDF of the HTML, reporting the layout and the writing as steps 3 and 4."""
    progress(2, len(PDF_STEPS), PDF_STEPS[2])
    pages = laid_out(html)
    progress(3, len(PDF_STEPS), PDF_STEPS[3])
    return pages.write_pdf()


def schedule_context(plan: Plan, projects: list[PublishedProject]) -> dict[str, Any]:
    """Each month of the plan with what starts in it and what is still under way."""
    months = month_lines(plan, projects)
    starting: dict[int, list[PublishedProject]] = {line.month: [] for line in months}
    running: dict[int, list[PublishedProject]] = {line.month: [] for line in months}
    for project in projects:
        starting[project.start_month].append(project)
        for month in range(project.start_month + 1, project.end_month + 1):
            running[month].append(project)
    sections = [(line, starting[line.month], running[line.month]) for line in months]
    return {"plan": plan, "scenario": plan.scenario, "sections": sections, "projects": projects}


def schedule_pdf(session: Session, plan: Plan, progress: Progress = no_progress) -> bytes:
    """The monthly schedule of a published plan as a PDF: a section per month."""
    progress(0, len(PDF_STEPS), PDF_STEPS[0])
    context = schedule_context(plan, published_projects(session, plan))
    progress(1, len(PDF_STEPS), PDF_STEPS[1])
    html = render_template("sep/schedule_print.html", css=stylesheet(), **context)
    return _pdf_of(html, progress)


def download_name(plan: Plan, what: str, extension: str) -> str:
    """A safe file name: 'sep-fy2028-plan-version-3.pdf' (ASCII letters, digits, dashes)."""
    name = re.sub(r"[^A-Za-z0-9]+", "-", plan.scenario.name).strip("-").lower()[:60] or "plan"
    return f"{what}-{name}-version-{plan.version}.{extension}"
