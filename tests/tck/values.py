"""TCK values (the text in expected-result tables) and engine results in one comparable,
hashable form.

Nodes compare by labels and properties, relationships by type and properties, paths
by their elements and directions (the TCK's notion of equality); integers and floats
never compare equal (``1`` is not ``1.0``); floats are compared to 12 significant digits.

>>> parse("[1, 2.0, 'a\\\\'b', null, {k: true}]")
('list', (('int', 1), ('float', 2.0), ('str', "a'b"), ('null',), ('map', (('k', ('bool', True)),))))
>>> parse("<(:A {n: 1})-[:T]->(:B)>")[0]
'path'
"""

from __future__ import annotations

import math
from typing import Any

Canon = tuple[Any, ...]
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}


def _float(x: float) -> Canon:
    if math.isnan(x):
        return ("float", "NaN")
    if math.isinf(x):
        return ("float", "Inf" if x > 0 else "-Inf")
    return ("float", float(f"{x:.12g}"))


class _Reader:
    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0

    def ws(self) -> None:
        while self.i < len(self.s) and self.s[self.i].isspace():
            self.i += 1

    def peek(self, k: int = 1) -> str:
        self.ws()
        return self.s[self.i : self.i + k]

    def eat(self, tok: str) -> None:
        self.ws()
        if not self.s.startswith(tok, self.i):
            raise ValueError(f"expected {tok!r} at {self.i} in {self.s!r}")
        self.i += len(tok)

    def name(self) -> str:
        self.ws()
        if self.s[self.i] == "`":
            end = self.s.index("`", self.i + 1)
            out = self.s[self.i + 1 : end]
            self.i = end + 1
            return out
        start = self.i
        while self.i < len(self.s) and (self.s[self.i].isalnum() or self.s[self.i] in "_"):
            self.i += 1
        return self.s[start : self.i]

    def props(self) -> Canon:
        if self.peek() != "{":
            return ("map", ())
        return self.value()

    def node(self) -> Canon:
        self.eat("(")
        labels = []
        while self.peek() == ":":
            self.eat(":")
            labels.append(self.name())
        props = self.props()
        self.eat(")")
        return ("node", tuple(sorted(labels)), props)

    def rel(self) -> Canon:
        self.eat("[")
        self.eat(":")
        rtype = self.name()
        props = self.props()
        self.eat("]")
        return ("rel", rtype, props)

    def value(self) -> Canon:
        c = self.peek()
        if c == "[":
            save = self.i
            self.eat("[")
            if self.peek() == ":":
                self.i = save
                return self.rel()
            items = []
            while self.peek() != "]":
                items.append(self.value())
                if self.peek() == ",":
                    self.eat(",")
            self.eat("]")
            return ("list", tuple(items))
        if c == "{":
            self.eat("{")
            entries = []
            while self.peek() != "}":
                key = self.name()
                self.eat(":")
                entries.append((key, self.value()))
                if self.peek() == ",":
                    self.eat(",")
            self.eat("}")
            return ("map", tuple(sorted(entries)))
        if c == "(":
            return self.node()
        if c == "<":
            self.eat("<")
            parts: list[Canon] = [self.node()]
            while self.peek() != ">":
                if self.peek(2) == "<-":
                    self.eat("<-")
                    rel = self.rel()
                    self.eat("-")
                    parts.append((*rel, "<"))
                else:
                    self.eat("-")
                    rel = self.rel()
                    self.eat("->")
                    parts.append((*rel, ">"))
                parts.append(self.node())
            self.eat(">")
            return ("path", tuple(parts))
        if c in "'\"":
            quote = c
            self.i += 1
            out = []
            while self.s[self.i] != quote:
                ch = self.s[self.i]
                if ch == "\\":
                    nxt = self.s[self.i + 1]
                    out.append(_ESCAPES.get(nxt, nxt))
                    self.i += 2
                    continue
                out.append(ch)
                self.i += 1
            self.i += 1
            return ("str", "".join(out))
        self.ws()
        start = self.i
        while self.i < len(self.s) and self.s[self.i] not in ",]}) \t\n|":
            self.i += 1
        word = self.s[start : self.i]
        if word == "null":
            return ("null",)
        if word in ("true", "false"):
            return ("bool", word == "true")
        if word in ("NaN", "Inf", "-Inf"):
            return ("float", word)
        try:
            return ("int", int(word))
        except ValueError:
            return _float(float(word))


def parse(text: str) -> Canon:
    """One TCK value."""
    r = _Reader(text)
    out = r.value()
    r.ws()
    if r.i != len(r.s):
        raise ValueError(f"trailing text in {text!r}")
    return out


def to_python(value: Canon) -> Any:
    """A parsed TCK value as a Python value (for parameters)."""
    tag = value[0]
    if tag == "null":
        return None
    if tag in ("bool", "int", "str"):
        return value[1]
    if tag == "float":
        v = value[1]
        return {"NaN": math.nan, "Inf": math.inf, "-Inf": -math.inf}.get(v, v)
    if tag == "list":
        return [to_python(v) for v in value[1]]
    if tag == "map":
        return {k: to_python(v) for k, v in value[1]}
    raise ValueError(f"no parameter form for {tag}")


def _props(props: dict[str, Any]) -> Canon:
    return ("map", tuple(sorted((str(k), engine_value(v)) for k, v in props.items()
                                if v is not None)))


def engine_value(value: Any) -> Canon:
    """One value of a FalkorDB result (:mod:`cypher.embedded.compact` values) in canonical
    form."""
    from cypher.embedded.compact import Edge, Node, Path

    if value is None:
        return ("null",)
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return ("int", value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, str):
        return ("str", value)
    if isinstance(value, Node):
        return ("node", tuple(sorted(value.labels)), _props(value.properties))
    if isinstance(value, Edge):
        return ("rel", value.relation, _props(value.properties))
    if isinstance(value, Path):
        nodes, edges = value.nodes, value.edges
        parts: list[Canon] = [engine_value(nodes[0])] if nodes else []
        for i, edge in enumerate(edges):
            forward = edge.src_node == nodes[i].id
            parts.append((*engine_value(edge), ">" if forward else "<"))
            parts.append(engine_value(nodes[i + 1]))
        return ("path", tuple(parts))
    if isinstance(value, dict):
        return ("map", tuple(sorted((str(k), engine_value(v)) for k, v in value.items())))
    if isinstance(value, list | tuple):
        return ("list", tuple(engine_value(v) for v in value))
    return ("other", str(value))


def unordered(value: Canon) -> Canon:
    """``value`` with every list's elements sorted (for "ignoring element order for lists")."""
    tag = value[0]
    if tag == "list":
        return ("list", tuple(sorted((unordered(v) for v in value[1]), key=repr)))
    if tag == "map":
        return ("map", tuple((k, unordered(v)) for k, v in value[1]))
    return value
