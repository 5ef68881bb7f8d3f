"""A small hand-made graph following ``graph.model``'s contract, for examples and tests.

The queries' docstring examples run on it (under ``--doctest-modules``) without loading
any file; its numbers are easy to check by hand.
"""

from __future__ import annotations

import networkx as nx

from graph.model import ITEM_KINDS, REQUIRES, Kind, Rel, item_id, occupation_id, part_id

#: The name of each task of the sample, by standard and task code.
TASK_NAMES = {
    ("AAA1111-001v2", "T1.1"): "洽談網紅經紀合約", ("AAA1111-001v2", "T1.2"): "維護網紅網路安全",
    ("AAA1111-001v1", "T1.1"): "洽談網紅經紀合約",
    ("BBB2222-001v2", "T1.1"): "洽談直播合作合約", ("BBB2222-001v2", "T2.1"): "經營數位平台直播",
    ("BBB2222-001v2", "T2.2"): "剪輯直播影音內容",
    ("CCC3333-001v1", "T1.1"): "規劃網紅行銷合作",
}


def sample_graph() -> nx.MultiDiGraph:
    """A four-occupation graph following ``graph.model``'s contract, for examples and tests.

    AAA1111-001v2 網紅經紀人 (level 4) and its old version v1; BBB2222-001v2 直播人員 (4);
    CCC3333-001v1 行銷企劃 (5). 網紅類型與商業模式 ~ 網紅類型與獲利模式 (SIMILAR_TO 0.8).
    Task names (the task text of :mod:`queries.task_text`) are in ``TASK_NAMES``.

    >>> sample_graph().number_of_nodes() > 20
    True
    """
    G = nx.MultiDiGraph()
    k, s, a = ITEM_KINDS
    spec = [
        ("AAA1111-001v2", "網紅經紀人", 4, True, {
            "T1.1": (4, [(k, "合約締結知識"), (k, "網紅類型與商業模式"), (s, "溝通協調能力")]),
            "T1.2": (3, [(k, "網路安全與法規"), (s, "溝通協調能力"), (s, "談判協商能力")]),
        }, ["自信心"]),
        ("AAA1111-001v1", "網紅經紀人", 4, False, {
            "T1.1": (4, [(k, "合約締結知識"), (s, "溝通協調能力")]),
        }, ["自信心"]),
        ("BBB2222-001v2", "直播人員", 4, True, {
            "T1.1": (4, [(k, "網紅類型與獲利模式"), (k, "合約締結知識"), (s, "溝通協調能力")]),
            "T2.1": (4, [(k, "網路安全與法規"), (s, "數位平台應用能力")]),
            "T2.2": (3, [(s, "數位平台應用能力"), (s, "影音剪輯能力")]),
        }, ["自信心", "彈性"]),
        ("CCC3333-001v1", "行銷企劃", 5, True, {
            "T1.1": (5, [(k, "市場調查概念"), (s, "溝通協調能力"), (s, "數位平台應用能力")]),
        }, ["彈性"]),
    ]
    for code, name, level, latest, tasks, attitudes in spec:
        occ = occupation_id(code)
        G.add_node(occ, kind=Kind.OCCUPATION.value, name=name, code=code, level=level,
                   latest=latest, historical=False)
        for task_code, (task_level, items) in tasks.items():
            duty = part_id(Kind.DUTY, code, task_code.split(".")[0])
            task = part_id(Kind.TASK, code, task_code)
            G.add_node(duty, kind=Kind.DUTY.value, code=task_code.split(".")[0], standard=code)
            G.add_node(task, kind=Kind.TASK.value, code=task_code, standard=code,
                       level=task_level, name=TASK_NAMES[(code, task_code)])
            G.add_edge(occ, duty, key=Rel.HAS_DUTY.value, rel=Rel.HAS_DUTY.value)
            G.add_edge(duty, task, key=Rel.HAS_TASK.value, rel=Rel.HAS_TASK.value)
            for kind, item in items:
                G.add_node(item_id(kind, item), kind=kind.value, name=item)
                rel = REQUIRES[kind].value
                G.add_edge(task, item_id(kind, item), key=rel, rel=rel, standard=code,
                           task=task_code)
        for item in attitudes:
            G.add_node(item_id(a, item), kind=a.value, name=item)
            rel = REQUIRES[a].value
            G.add_edge(occ, item_id(a, item), key=rel, rel=rel, standard=code, task="")
    one, two = item_id(k, "網紅類型與商業模式"), item_id(k, "網紅類型與獲利模式")
    for u, v in ((one, two), (two, one)):
        G.add_edge(u, v, key=Rel.SIMILAR_TO.value, rel=Rel.SIMILAR_TO.value, score=0.8,
                   tier="similar", method="lexical")
    return G
