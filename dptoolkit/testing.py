"""Property-test your own recurrences: hypothesis strategies and an agreement check.

Three lines test a recurrence against itself, every strategy on random inputs::

    from hypothesis import given
    from dptoolkit.testing import assert_strategies_agree, strings

    @given(strings(), strings())
    def test_lcs(a, b):
        assert_strategies_agree(make_lcs(a, b), len(a), len(b))

:func:`assert_strategies_agree` needs nothing but dptoolkit; the strategies
(:func:`sequences`, :func:`strings`, :func:`knapsack_instances`,
:func:`grids_with_obstacles`, :func:`weighted_dags`,
:func:`weighted_digraphs`) need `hypothesis`, from the ``test`` extra
(``pip install "dptoolkit[test]"``); it is imported on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ._validate import check_callable, check_choice, check_int, show
from .errors import InvalidInput, InvalidType

if TYPE_CHECKING:
    import networkx as nx
    from hypothesis.strategies import SearchStrategy

    from .recurrence import Recurrence, Solution

__all__ = [
    "assert_strategies_agree",
    "grids_with_obstacles",
    "knapsack_instances",
    "sequences",
    "strings",
    "weighted_dags",
    "weighted_digraphs",
]

ALL_STRATEGIES = ("naive", "top_down", "bottom_up")


def _st() -> Any:
    """``hypothesis.strategies``, or an ImportError that names the extra to install."""
    try:
        import hypothesis.strategies as st
    except ImportError as exc:
        raise ImportError(
            "dptoolkit.testing's strategies need hypothesis: install the test extra, "
            "pip install 'dptoolkit[test]'"
        ) from exc
    return st


def assert_strategies_agree(
    rec: Recurrence,
    *goal: Any,
    strategies: Sequence[str] = ALL_STRATEGIES,
    check_witness: Callable[[Solution], object] | None = None,
    max_calls: int | None = None,
    **kwargs: Any,
) -> dict[str, Solution]:
    """Solve *goal* with every strategy; assert equal values and valid witnesses.

    Parameters
    ----------
    rec : Recurrence
        A ``@dp.recurrence``.
    *goal, **kwargs
        The goal state.
    strategies : sequence of str
        Which strategies to run (default: naive, top_down, bottom_up).
    check_witness : callable, optional
        ``check_witness(solution)`` for each strategy's solution; it fails the
        check by raising or by returning ``False`` (``None`` counts as valid).
    max_calls : int, optional
        The call budget of ``naive``.

    Returns
    -------
    dict
        Strategy name -> :class:`~dptoolkit.Solution`.

    Raises
    ------
    AssertionError
        If two strategies disagree, or a witness check fails; the message
        names the strategies, the goal and the values.

    Examples
    --------
    >>> import dptoolkit as dp
    >>> from dptoolkit.testing import assert_strategies_agree
    >>> @dp.recurrence(states=lambda n: range(n + 1))
    ... def stairs(n):
    ...     return 1 if n < 2 else stairs(n - 1) + stairs(n - 2)
    >>> sols = assert_strategies_agree(stairs, 10)
    >>> {name: sol.value for name, sol in sols.items()}
    {'naive': 89, 'top_down': 89, 'bottom_up': 89}
    """
    from .recurrence import Recurrence

    if not isinstance(rec, Recurrence):
        raise InvalidType(f"rec={show(rec)} must be a @dp.recurrence")
    if isinstance(strategies, str) or not strategies:
        raise InvalidInput(f"strategies={show(strategies)} must be a non-empty list of strategies")
    for name in strategies:
        check_choice("strategies[...]", name, ALL_STRATEGIES)
    check_callable("check_witness", check_witness)
    if max_calls is not None:
        check_int("max_calls", max_calls, minimum=1)
    solutions: dict[str, Solution] = {}
    for name in strategies:
        options: dict[str, Any] = {"max_calls": max_calls} if name == "naive" else {}
        solutions[name] = rec.solve(*goal, strategy=name, **options, **kwargs)
    first = strategies[0]
    where = f"{rec.__name__}{goal!r}" if not kwargs else f"{rec.__name__}{goal!r} {kwargs!r}"
    for name in strategies[1:]:
        a, b = solutions[first].value, solutions[name].value
        if not _same(a, b):
            raise AssertionError(
                f"strategies disagree on {where}: {first} gives {a!r}, {name} gives {b!r}"
            )
    if check_witness is not None:
        for name, sol in solutions.items():
            try:
                verdict = check_witness(sol)
            except AssertionError as exc:
                raise AssertionError(f"invalid witness from {name} on {where}: {exc}") from exc
            if verdict is False:
                raise AssertionError(
                    f"invalid witness from {name} on {where}: check_witness said False"
                )
    return solutions


def _same(a: Any, b: Any) -> bool:
    if a is b:
        return True
    try:
        if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
            return True  # both NaN
        return bool(a == b)
    except Exception:  # e.g. numpy arrays: compare element-wise
        import numpy as np

        return bool(np.array_equal(np.asarray(a), np.asarray(b)))


# --------------------------------------------------------------------------
# hypothesis strategies
# --------------------------------------------------------------------------


def sequences(
    *, min_size: int = 0, max_size: int = 8, min_value: int = -20, max_value: int = 20
) -> SearchStrategy[list[int]]:
    """Short lists of small integers (LIS, subset sum, rod prices, ...).

    Examples
    --------
    >>> from dptoolkit.testing import sequences
    >>> from hypothesis import find
    >>> seq = find(sequences(max_size=5), lambda seq: sum(seq) > 30)
    >>> len(seq) <= 5 and sum(seq) > 30
    True
    """
    st = _st()
    _sizes(min_size, max_size)
    min_value = check_int("min_value", min_value, minimum=None)
    max_value = check_int("max_value", max_value, minimum=None)
    if min_value > max_value:
        raise InvalidInput(f"min_value={min_value} must be <= max_value={max_value}")
    return st.lists(  # type: ignore[no-any-return]
        st.integers(min_value, max_value), min_size=min_size, max_size=max_size
    )


def strings(alphabet: str = "abc", *, min_size: int = 0, max_size: int = 8) -> SearchStrategy[str]:
    """Short strings over a small alphabet, so that they share letters (LCS, edit distance).

    Examples
    --------
    >>> from dptoolkit.testing import strings
    >>> from hypothesis import find
    >>> text = find(strings("xy"), lambda s: s.count("y") > 2)
    >>> set(text) <= {"x", "y"} and text.count("y") > 2
    True
    """
    st = _st()
    _sizes(min_size, max_size)
    if not isinstance(alphabet, str) or not alphabet:
        raise InvalidInput(f"alphabet={show(alphabet)} must be a non-empty string")
    return st.text(alphabet, min_size=min_size, max_size=max_size)  # type: ignore[no-any-return]


def knapsack_instances(
    *, max_items: int = 6, max_weight: int = 10, max_value: int = 20, max_capacity: int = 20
) -> SearchStrategy[tuple[list[int], list[int], int]]:
    """``(weights, values, capacity)``: positive weights and values, capacity >= 0.

    Examples
    --------
    >>> from dptoolkit.testing import knapsack_instances
    >>> from hypothesis import find
    >>> weights, values, capacity = find(knapsack_instances(), lambda inst: len(inst[0]) == 2)
    >>> len(values), min(weights) >= 1, capacity >= 0
    (2, True, True)
    """
    st = _st()
    check_int("max_items", max_items)
    check_int("max_weight", max_weight, minimum=1)
    check_int("max_value", max_value, minimum=1)
    check_int("max_capacity", max_capacity)

    def build(draw: Any) -> tuple[list[int], list[int], int]:
        n = draw(st.integers(0, max_items))
        weights = draw(st.lists(st.integers(1, max_weight), min_size=n, max_size=n))
        values = draw(st.lists(st.integers(1, max_value), min_size=n, max_size=n))
        capacity = draw(st.integers(0, max_capacity))
        return weights, values, capacity

    return st.composite(build)()  # type: ignore[no-any-return]


def grids_with_obstacles(
    *, max_rows: int = 5, max_cols: int = 5, density: float = 0.3, open_corners: bool = True
) -> SearchStrategy[tuple[int, int, frozenset[tuple[int, int]]]]:
    """``(rows, cols, blocked)``: a grid of at least 1 x 1 and a set of blocked cells.

    Parameters
    ----------
    max_rows, max_cols : int
        Largest grid drawn.
    density : float
        Rough share of blocked cells, between 0 and 1.
    open_corners : bool
        Keep the top-left and bottom-right cells open (the usual start and end).

    Examples
    --------
    >>> from dptoolkit.testing import grids_with_obstacles
    >>> from hypothesis import find
    >>> rows, cols, blocked = find(grids_with_obstacles(), lambda g: len(g[2]) == 2)
    >>> len(blocked), (0, 0) in blocked, (rows - 1, cols - 1) in blocked
    (2, False, False)
    """
    st = _st()
    check_int("max_rows", max_rows, minimum=1)
    check_int("max_cols", max_cols, minimum=1)
    if not isinstance(density, (int, float)) or not 0 <= density <= 1:
        raise InvalidInput(f"density={show(density)} must be a number between 0 and 1")

    def build(draw: Any) -> tuple[int, int, frozenset[tuple[int, int]]]:
        rows = draw(st.integers(1, max_rows))
        cols = draw(st.integers(1, max_cols))
        cells = [(r, c) for r in range(rows) for c in range(cols)]
        if open_corners:
            cells = [cell for cell in cells if cell not in ((0, 0), (rows - 1, cols - 1))]
        flags = draw(
            st.lists(
                st.integers(0, 999).map(lambda x: x < density * 1000),
                min_size=len(cells),
                max_size=len(cells),
            )
        )
        return rows, cols, frozenset(cell for cell, on in zip(cells, flags, strict=True) if on)

    return st.composite(build)()  # type: ignore[no-any-return]


def weighted_dags(
    *, max_nodes: int = 6, min_weight: int = -5, max_weight: int = 10, weight: str = "weight"
) -> SearchStrategy[nx.DiGraph]:
    """Small weighted DAGs: nodes ``0 .. n-1``, edges only from smaller to larger nodes.

    Examples
    --------
    >>> import networkx as nx
    >>> from dptoolkit.testing import weighted_dags
    >>> from hypothesis import find
    >>> g = find(weighted_dags(), lambda g: g.number_of_edges() >= 2)
    >>> nx.is_directed_acyclic_graph(g), all(u < v for u, v in g.edges)
    (True, True)
    """
    return _digraphs(max_nodes, min_weight, max_weight, weight, acyclic=True)


def weighted_digraphs(
    *, max_nodes: int = 5, min_weight: int = 0, max_weight: int = 10, weight: str = "weight"
) -> SearchStrategy[nx.DiGraph]:
    """Small weighted digraphs, cycles allowed (non-negative weights by default).

    Pass ``min_weight < 0`` to draw negative edges (and so, sometimes,
    negative cycles).

    Examples
    --------
    >>> from dptoolkit.testing import weighted_digraphs
    >>> import networkx as nx
    >>> from hypothesis import find
    >>> g = find(weighted_digraphs(max_nodes=4), lambda g: not nx.is_directed_acyclic_graph(g))
    >>> g.number_of_nodes() <= 4, min(w for _, _, w in g.edges(data="weight")) >= 0
    (True, True)
    """
    return _digraphs(max_nodes, min_weight, max_weight, weight, acyclic=False)


def _digraphs(
    max_nodes: int, min_weight: int, max_weight: int, weight: str, *, acyclic: bool
) -> SearchStrategy[nx.DiGraph]:
    st = _st()
    check_int("max_nodes", max_nodes, minimum=1)
    min_weight = check_int("min_weight", min_weight, minimum=None)
    max_weight = check_int("max_weight", max_weight, minimum=None)
    if not isinstance(weight, str):
        raise InvalidType(f"weight={show(weight)} must be an edge attribute name (a str)")
    if min_weight > max_weight:
        raise InvalidInput(f"min_weight={min_weight} must be <= max_weight={max_weight}")

    def build(draw: Any) -> nx.DiGraph:
        import networkx as nx

        n = draw(st.integers(1, max_nodes))
        pairs = [(u, v) for u in range(n) for v in range(n) if (u < v if acyclic else u != v)]
        present = draw(st.lists(st.booleans(), min_size=len(pairs), max_size=len(pairs)))
        g = nx.DiGraph()
        g.add_nodes_from(range(n))
        for (u, v), on in zip(pairs, present, strict=True):
            if on:
                g.add_edge(u, v, **{weight: draw(st.integers(min_weight, max_weight))})
        return g

    return st.composite(build)()  # type: ignore[no-any-return]


def _sizes(min_size: int, max_size: int) -> None:
    check_int("min_size", min_size)
    check_int("max_size", max_size)
    if min_size > max_size:
        raise InvalidInput(f"min_size={min_size} must be <= max_size={max_size}")
