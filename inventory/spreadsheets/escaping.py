"""Formula-injection neutralisation for exported cells, and its exact inverse for imports.

Contract (OWASP "CSV injection"): a text cell whose value starts with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return could be run as a formula by a spreadsheet program, so the writers put
a single quote ``'`` in front of it. To keep exports re-importable unchanged, text that already
starts with one or more quotes followed by one of those characters gets one more quote too. The
readers remove exactly one leading quote from any text that starts with one or more quotes followed
by one of those characters. ``restore_formula_text(neutralise_formula_text(s)) == s`` for every
string ``s``; other text (including a lone leading quote such as ``'80s``) is never changed.
Numbers, dates and booleans are written as typed values and are never prefixed.
"""

from __future__ import annotations

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")
_QUOTED = re.compile(r"'+[=+\-@\t\r]")


def neutralise_formula_text(text: str) -> str:
    """Prefix a quote to text a spreadsheet program might run as a formula."""
    if _NEEDS_QUOTE.match(text):
        return "'" + text
    return text


def restore_formula_text(text: str) -> str:
    """Undo neutralise_formula_text: drop the one quote it added, and nothing else."""
    if _QUOTED.match(text):
        return text[1:]
    return text


# OOXML (ECMA-376 ST_Xstring) escapes: characters XML cannot carry, and carriage returns that XML
# parsers would turn into line feeds, are stored as _xHHHH_; a literal "_xHHHH_" in the text keeps
# its meaning by writing its underscore as _x005F_. Excel reads and writes text the same way.
_LITERAL_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def ooxml_escape(text: str) -> str:
    """Encode text so an .xlsx cell stores it exactly (control characters, CR, literal _xHHHH_)."""
    text = _LITERAL_ESCAPE.sub("_x005F_", text)
    return _XML_UNSAFE.sub(lambda match: f"_x{ord(match.group()):04X}_", text)


def ooxml_unescape(text: str) -> str:
    """Decode _xHHHH_ escapes in .xlsx cell text, as Excel does."""
    return _ESCAPED.sub(lambda match: chr(int(match.group(1), 16)), text)
