"""Where the caches live (the graph cache, the lookup cache, engine snapshots): its own
small module so that ``icapgraph cypher`` can find the engine snapshots before it imports
:mod:`graph.store` (~10-25 ms)."""

from __future__ import annotations

import os
from pathlib import Path

#: The environment variable naming the cache folder.
ENV_CACHE = "ICAPGRAPH_CACHE"
_ROOT = Path(__file__).resolve().parent.parent


def default_cache_dir() -> Path:
    """``$ICAPGRAPH_CACHE`` when set, else ``.cache/icapgraph`` in the repository root.

    >>> default_cache_dir().name == "icapgraph" or ENV_CACHE in os.environ
    True
    """
    env = os.environ.get(ENV_CACHE)
    return Path(env) if env else _ROOT / ".cache" / "icapgraph"
