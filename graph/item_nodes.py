"""Item nodes: which knowledge / skill / attitude node each name belongs to, and its attributes.

An item's identity is its kind plus :func:`graph.identity.item_key` of its name,
after curated aliases; the node's display name is the most frequent surface form
(or the curated canonical), and its attributes record the other spellings, the
aliases applied and whether only a note names it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from graph.aliases import Alias
from graph.identity import display_name, item_key, surface_form
from graph.model import Kind, item_id

ItemRef = tuple[Kind, str]  # (kind, identity key after aliases)


@dataclass
class ItemNodes:
    """Pass-one bookkeeping of :func:`graph.build.build_graph`: the surface forms,
    curated aliases and descriptions seen for each item node."""

    aliases: dict[ItemRef, Alias]
    forms: dict[ItemRef, list[str]] = field(default_factory=lambda: defaultdict(list))
    alias_forms: dict[ItemRef, list[str]] = field(default_factory=lambda: defaultdict(list))
    note_forms: dict[ItemRef, list[str]] = field(default_factory=lambda: defaultdict(list))
    applied: dict[ItemRef, dict[str, Alias]] = field(default_factory=lambda: defaultdict(dict))
    descriptions: dict[ItemRef, list[str]] = field(default_factory=lambda: defaultdict(list))
    in_data: set[ItemRef] = field(default_factory=set)  # named by a standard, not only a note

    def lookup(self, kind: Kind, name: str) -> ItemRef:
        """The node ``name`` belongs to (aliases applied)."""
        key = item_key(name)
        alias = self.aliases.get((kind, key))
        return (kind, key) if alias is None else (kind, item_key(alias.canonical))

    def record(self, kind: Kind, name: str, *, from_note: bool = False) -> ItemRef:
        """Record one occurrence of ``name`` and return the node it belongs to."""
        key = item_key(name)
        if not key:  # nothing left to identify it by (the loader reports empty names)
            return (kind, key)
        form = surface_form(name)
        alias = self.aliases.get((kind, key))
        if alias is None:
            ref = (kind, key)
            (self.note_forms if from_note else self.forms)[ref].append(form)
        else:
            ref = (kind, item_key(alias.canonical))
            self.applied[ref][alias.name] = alias
            self.alias_forms[ref].append(form)
        if not from_note:
            self.in_data.add(ref)
        return ref

    def node_ids(self) -> dict[ItemRef, str]:
        """Node id of every item, in first-seen order (so the graph's order is stable)."""
        refs = dict.fromkeys([*self.forms, *self.alias_forms, *self.note_forms])
        return {ref: item_id(ref[0], self.name(ref)) for ref in refs}

    def name(self, ref: ItemRef) -> str:
        if ref in self.applied:
            # A curated canonical is the display name even when the data never spells it.
            canonical = next(iter(self.applied[ref].values())).canonical
            own = self.forms.get(ref)
            return display_name(own) if own else surface_form(canonical)
        return display_name(self.forms.get(ref) or self.note_forms[ref])

    def attrs(self, ref: ItemRef, node: str) -> dict[str, Any]:
        name = node.split(":", 1)[1]
        in_data = ref in self.in_data
        seen = self.forms if in_data else self.note_forms
        forms = {*seen.get(ref, ()), *self.alias_forms.get(ref, ())}
        applied = self.applied.get(ref)
        attrs: dict[str, Any] = {
            "kind": ref[0].value,
            "name": name,
            "key": ref[1],
            "aliases": "、".join(sorted(forms - {name})),
            "from_note": not in_data,
            "applied_aliases": _applied_json(applied) if applied else "[]",
        }
        described = self.descriptions.get(ref)
        if described:
            attrs["description"] = display_name(described)
        return attrs


def _applied_json(applied: dict[str, Alias]) -> str:
    rows = [{"name": a.name, "canonical": a.canonical, "reason": a.reason, "line": a.line}
            for a in sorted(applied.values(), key=lambda a: a.line)]
    return json.dumps(rows, ensure_ascii=False)
