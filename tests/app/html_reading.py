"""Reading pages the way a person does: a table's cells, a select box's options, a card's figure.

Tests that look for a word anywhere in a page pass on the navigation bar or a search box's echo;
these helpers read one element, so an assertion fails when that element is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Element:
    """One element: its tag, attributes, text (with its children's) and children."""

    tag: str
    attrs: dict[str, str]
    children: list[Element] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The element's text as shown: whitespace collapsed."""
        return " ".join("".join(self.parts).split())

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Element]:
        """Every descendant with the tag (any when None) and these attribute values."""
        found = []
        for child in self.children:
            wanted = tag is None or child.tag == tag
            if wanted and all(child.attrs.get(_attr(k)) == v for k, v in attrs.items()):
                found.append(child)
            found.extend(child.find_all(tag, **attrs))
        return found

    def find(self, tag: str | None = None, **attrs: str) -> Element:
        """The first descendant matching; AssertionError when there is none."""
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag or '*'}> with {attrs}"
        return found[0]


def _attr(name: str) -> str:
    """Python keyword arguments to attribute names: data_testid -> data-testid, class_ -> class."""
    return name.rstrip("_").replace("_", "-")


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


class _Builder(HTMLParser):
    """Builds the element tree (tolerant of the few unclosed tags HTML allows)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        for element in self.stack:
            element.parts.append(data)


def parse(page: str) -> Element:
    """The page as a tree of elements."""
    builder = _Builder()
    builder.feed(page)
    builder.close()
    return builder.root


def table_rows(page: str, testid: str) -> list[list[str]]:
    """The body rows of the table with this data-testid, each as its cells' texts."""
    table = parse(page).find("table", data_testid=testid)
    body = table.find("tbody")
    return [[cell.text for cell in row.children if cell.tag in ("td", "th")]
            for row in body.find_all("tr")]  # fmt: skip


def option_labels(page: str, name: str) -> list[str]:
    """The labels of a select box's options, the blank one included."""
    return [option.text for option in parse(page).find("select", name=name).find_all("option")]


def pager_total(page: str) -> int:
    """The total the pager states ("1-50 of 1,234"), or 0 for "No results"."""
    text = parse(page).find("nav", data_testid="pager").text
    if "No results" in text:
        return 0
    found = re.search(r"of ([\d,]+)", text)
    assert found, f"the pager states no total: {text!r}"
    return int(found.group(1).replace(",", ""))


def history_changes(page: str) -> list[tuple[str, str, str, str, str]]:
    """The history table's changes, newest first: (who, what, field, before, after) per
    changed field; each change's heading reads "Changed by staff · 2026-12-05 14:41 UTC"."""
    changes = []
    table = parse(page).find("table", data_testid="history")
    for group in table.find_all("tbody", data_testid="history-entry"):
        heading, *rows = group.find_all("tr")
        found = re.fullmatch(r"(\w+) by (\S+) · .* UTC", heading.text)
        assert found, f"a change without its heading: {heading.text!r}"
        what, who = found.groups()
        for row in rows:
            cells = [cell.text for cell in row.children if cell.tag in ("td", "th")]
            if len(cells) == 3:
                changes.append((who, what, *cells))
    return changes
