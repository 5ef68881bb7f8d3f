"""Cypher text as tokens: the base of the console's query rewrites.

Every character of the query belongs to exactly one token, so joining the tokens'
texts gives the query back unchanged and a rewrite can change a few tokens and leave
the rest (comments, spacing, string contents) exactly as the analyst wrote it.
Strings (with their escapes), backtick-quoted names (a doubled backtick is one
backtick), line and block comments and parameters are single tokens; brackets are
paired by :func:`closing`.

>>> [t.text for t in tokenize("MATCH (n:`A b`) // x\\nRETURN n.name = 'it''s'")][:6]
['MATCH', ' ', '(', 'n', ':', '`A b`']
>>> "".join(t.text for t in tokenize("RETURN $p, 1.5e3 /* c */")) == "RETURN $p, 1.5e3 /* c */"
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.errors import QueryError

#: Token kinds. ``name`` covers keywords too (Cypher keywords are not reserved words).
WS, COMMENT, STRING, NAME, QUOTED, NUMBER, PARAM, PUNCT = (
    "ws", "comment", "string", "name", "quoted", "number", "param", "punct"
)  # fmt: skip
_SKIP = frozenset({WS, COMMENT})
_PAIRS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = frozenset(_PAIRS.values())

_LEXEME = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>//[^\n]*|/\*.*?\*/)
  | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
  | (?P<quoted>`(?:[^`]|``)*`)
  | (?P<param>\$(?:[A-Za-z_][\w]*|\d+|`(?:[^`]|``)*`))
  | (?P<number>(?:0x[0-9A-Fa-f]+|0o[0-7]+|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?![\w]))
  | (?P<name>[^\W\d]\w*)
  | (?P<punct><>|<=|>=|=~|!=|\.\.|\+=|::|[-+*/%^=<>.,:;|()\[\]{}!&?])
    """,
    re.VERBOSE | re.DOTALL,
)


class Unreadable(QueryError):
    """Text the tokenizer cannot read (an unterminated string, unbalanced brackets): the
    engine, given the same text, names the error in its own words."""


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind, its exact text, and where it starts in the query."""

    kind: str
    text: str
    start: int

    @property
    def end(self) -> int:
        """The offset just past the token."""
        return self.start + len(self.text)

    @property
    def word(self) -> str:
        """The upper-cased text of a name (for keyword tests), else ''."""
        return self.text.upper() if self.kind == NAME else ""

    @property
    def ident(self) -> str | None:
        """The identifier a name or backtick-quoted name stands for, else None.

        >>> tokenize("`a``b`")[0].ident
        'a`b'
        """
        if self.kind == NAME:
            return self.text
        if self.kind == QUOTED:
            return self.text[1:-1].replace("``", "`")
        return None


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"line {line}, column {column}"


def tokenize(text: str) -> list[Token]:
    """All tokens of ``text``, whitespace and comments included.

    Raises
    ------
    QueryError
        an unterminated string, quoted name or comment, or a character
        that is no part of Cypher (with its line and column).

    >>> tokenize("RETURN 'oops")
    Traceback (most recent call last):
    ...
    cypher.embedded.tokens.Unreadable: unterminated string at line 1, column 8
    """
    out: list[Token] = []
    pos = 0
    while pos < len(text):
        m = _LEXEME.match(text, pos)
        if m is None or m.end() == pos:
            ch = text[pos]
            what = {"'": "string", '"': "string", "`": "quoted name", "/": "comment"}.get(ch)
            if what is None:
                raise Unreadable(f"unexpected character {ch!r} at {_where(text, pos)}")
            raise Unreadable(f"unterminated {what} at {_where(text, pos)}")
        kind = m.lastgroup or PUNCT
        out.append(Token(kind, m.group(), pos))
        pos = m.end()
    return out


def significant(tokens: list[Token]) -> list[Token]:
    """``tokens`` without whitespace and comments.

    >>> [t.text for t in significant(tokenize("a /* x */ + 1"))]
    ['a', '+', '1']
    """
    return [t for t in tokens if t.kind not in _SKIP]


def closing(tokens: list[Token], i: int) -> int:
    """The index of the bracket closing the one at ``tokens[i]`` (same list).

    Raises
    ------
    QueryError
        the bracket is never closed, or closed by another kind.

    >>> toks = significant(tokenize("f([1, (2)], {a: 3})"))
    >>> closing(toks, 1), toks[closing(toks, 1)].text
    (15, ')')
    """
    stack = [_PAIRS[tokens[i].text]]
    for j in range(i + 1, len(tokens)):
        t = tokens[j]
        if t.kind != PUNCT:
            continue
        if t.text in _PAIRS:
            stack.append(_PAIRS[t.text])
        elif t.text in _CLOSERS:
            if t.text != stack.pop():
                raise Unreadable(f"unbalanced {t.text!r} at offset {t.start}")
            if not stack:
                return j
    raise Unreadable(f"{tokens[i].text!r} at offset {tokens[i].start} is never closed")


def quote(name: str) -> str:
    """A name as Cypher text: bare when it is a plain identifier, else backtick-quoted.

    >>> quote("n"), quote("count(*)"), quote("a`b")
    ('n', '`count(*)`', '`a``b`')
    """
    if re.fullmatch(r"[^\W\d]\w*", name):
        return name
    return "`" + name.replace("`", "``") + "`"


_UNICODE = re.compile(r"(?<!\\)((?:\\\\)*)\\u([0-9A-Fa-f]{4})?")


def decode_unicode_escapes(query: str) -> str:
    r"""String literals with their ``\uXXXX`` escapes decoded (the engine keeps them as text).

    >>> decode_unicode_escapes("RETURN '\\u01FF', '\\\\u01FF'")
    "RETURN 'ǿ', '\\\\u01FF'"
    """
    if "\\u" not in query:
        return query
    out = []
    for tok in tokenize(query):
        text = tok.text
        if tok.kind == "string" and "\\u" in text:

            def decode(m: re.Match[str], tok: Token = tok) -> str:
                if m.group(2) is None:
                    raise QueryError(f"invalid \\u escape in the string at offset {tok.start}: "
                                     "write \\u and four hexadecimal digits")
                char = chr(int(m.group(2), 16))
                return m.group(1) + ("\\" + char if char in "'\"\\" else char)

            text = _UNICODE.sub(decode, text)
        out.append(text)
    return "".join(out)
