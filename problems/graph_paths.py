"""Paths in graphs, under their first names: five problems re-exported from their own modules.

Each graph problem lives in the module of its catalog name, which exposes
``solve`` and ``build`` like every catalog module; this module keeps the
names they were first published under, as plain functions:

=============================  ==========================================
here                           the problem's own module
=============================  ==========================================
``shortest_path``              :mod:`dptoolkit.problems.shortest_path`
``all_pairs_shortest_paths``   :mod:`dptoolkit.problems.all_pairs_shortest_paths`
``longest_path``               :mod:`dptoolkit.problems.longest_path`
``count_paths``                :mod:`dptoolkit.problems.count_paths`
``grid_paths``                 :mod:`dptoolkit.problems.grid_paths`
=============================  ==========================================

``graph_paths.shortest_path`` is ``shortest_path.solve`` and
``graph_paths.build_shortest_path`` is ``shortest_path.build`` (and so on);
``from dptoolkit.problems import shortest_path`` gives the *module*. This
module registers no catalog entry of its own (``dp.catalog()`` lists the five
problems once, from their modules).

Examples
--------
>>> import networkx as nx
>>> from dptoolkit.problems import graph_paths
>>> G = nx.DiGraph()
>>> G.add_weighted_edges_from([("s", "a", 4), ("s", "b", 2), ("b", "a", -1), ("a", "t", 3)])
>>> graph_paths.shortest_path(G, "s", "t").path
['s', 'b', 'a', 't']
>>> graph_paths.count_paths(G, "s", "t").value, graph_paths.grid_paths(3, 3).value
(2, 6)
"""

from __future__ import annotations

from .all_pairs_shortest_paths import build as build_all_pairs_shortest_paths
from .all_pairs_shortest_paths import solve as all_pairs_shortest_paths
from .count_paths import build as build_count_paths
from .count_paths import solve as count_paths
from .grid_paths import build as build_grid_paths
from .grid_paths import solve as grid_paths
from .longest_path import build as build_longest_path
from .longest_path import solve as longest_path
from .shortest_path import build as build_shortest_path
from .shortest_path import solve as shortest_path

__all__ = [
    "all_pairs_shortest_paths",
    "build_all_pairs_shortest_paths",
    "build_count_paths",
    "build_grid_paths",
    "build_longest_path",
    "build_shortest_path",
    "count_paths",
    "grid_paths",
    "longest_path",
    "shortest_path",
]
