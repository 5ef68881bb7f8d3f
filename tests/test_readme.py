"""The README quotes the corpus graph's size; those figures must be what the product prints."""

from __future__ import annotations

import re

import pytest
from conftest import CORPUS, ROOT

from graph.lookup import graph_stats

#: "64,579 nodes, 182,940 relationships" or "… edges" (line breaks allowed between).
SIZE = re.compile(r"([\d,]+)\s+nodes,\s+([\d,]+)\s+(?:relationships|edges)")


@pytest.mark.corpus
def test_readme_graph_sizes_are_the_corpus_stats() -> None:
    if not CORPUS.is_dir():
        pytest.skip("../shared/icap-corpus is absent")
    import graphs

    stats = graph_stats(graphs.corpus(str(CORPUS)))
    actual = (sum(stats["nodes"].values()), sum(stats["edges"].values()))
    quoted = {(int(a.replace(",", "")), int(b.replace(",", "")))
              for a, b in SIZE.findall((ROOT / "README.md").read_text(encoding="utf-8"))}
    assert quoted, "the README no longer quotes the corpus graph's size"
    assert quoted == {actual}, f"README says {sorted(quoted)}, icapgraph stats says {actual}"
