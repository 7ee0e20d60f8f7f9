"""Docstring reST as plain text for the terminal (``dptoolkit show``).

Only the inline markup and block markers the catalog's docstrings use are
rewritten; everything else passes through unchanged. Imports nothing of the
CLI; imported by :mod:`.show`.
"""

from __future__ import annotations

import re

__all__ = ["plain"]

# :func:`~dptoolkit.memoize`, :class:`Solution <dptoolkit.Solution>`, :math:`O(n)`
_ROLE = re.compile(r":[a-z]+(?::[a-z]+)?:`([^`]+)`")
# `text <https://...>`_ and `text`_ (hyperlink references)
_LINK = re.compile(r"`([^`<]+?)\s*<([^>`]+)>`__?")
_REF = re.compile(r"`([^`]+)`__?")
_LITERAL = re.compile(r"``(.+?)``")
_INTERPRETED = re.compile(r"(?<![`\w])`([^`]+)`(?![`\w])")
_STRONG = re.compile(r"(?<![\w*])\*\*(\S(?:.*?\S)?)\*\*(?![\w*])")
_EMPHASIS = re.compile(r"(?<![\w*])\*(\S(?:.*?\S)?)\*(?![\w*])")
_DIRECTIVE = re.compile(r"^(\s*)\.\.\s+([\w-]+)::\s*(.*)$")
_COMMENT = re.compile(r"^\s*\.\.(\s|$)")


def _role(match: re.Match[str]) -> str:
    text = match.group(1)
    titled = re.fullmatch(r"(.+?)\s*<[^>]+>", text)
    if titled:  # :ref:`the title <target>` shows the title
        return titled.group(1)
    if text.startswith("~"):  # :func:`~a.b.c` shows c
        return text[1:].rsplit(".", 1)[-1]
    return text.lstrip("!")


def _inline(line: str) -> str:
    line = _ROLE.sub(_role, line)
    line = _LITERAL.sub(r"\1", line)
    line = _LINK.sub(r"\1 (\2)", line)
    line = _REF.sub(r"\1", line)
    line = _INTERPRETED.sub(r"\1", line)
    line = _STRONG.sub(r"\1", line)
    return _EMPHASIS.sub(r"\1", line)


def plain(text: str) -> str:
    """*text* (a docstring in reST) as plain text.

    >>> print(plain("Weights ``w_i >= 0``, see :func:`~dptoolkit.memoize` and *skip*::"))
    Weights w_i >= 0, see memoize and skip:
    >>> print(plain(".. math::\\n\\n   x^2"))
    <BLANKLINE>
       x^2
    """
    out: list[str] = []
    for line in text.splitlines():
        directive = _DIRECTIVE.match(line)
        if directive:
            indent, name, rest = directive.groups()
            if name in ("note", "warning", "tip", "important", "seealso"):
                out.append(f"{indent}{name.capitalize()}: {_inline(rest)}".rstrip())
            elif rest and name not in ("math", "code-block", "code", "doctest", "testcode"):
                out.append(indent + _inline(rest))
            continue  # math, code blocks...: their indented body follows as is
        if _COMMENT.match(line):
            continue
        stripped = line.rstrip()
        if stripped.strip() == "::":
            continue
        if stripped.endswith("::"):
            stripped = stripped[:-1]  # "as follows::" reads "as follows:"
        out.append(_inline(stripped))
    return "\n".join(out)
