"""Traces: the call tree of a recurrence, its hits and misses, its subproblem graph.

``rec.trace(*goal, strategy="top_down" | "naive")`` runs the recurrence with
every call recorded and returns a :class:`Trace`. The counting is the
textbook one: every call of the recurrence counts once, base cases included,
and a call answered from the cache is a hit. So plain recursion on ``fib(5)``
makes 15 calls, memoized recursion 9 (6 misses, 3 hits).

A trace runs plain recursion (with a dict as the cache for ``top_down``), so
its call tree is exactly the one a textbook draws, never reshaped by the memo
engine's deep-recursion unwinding; in exchange it is limited to what the
interpreter's stack allows, and to ``max_calls`` recorded calls. Traces are
for study: both limits raise :class:`~dptoolkit.BudgetExceeded` rather than
return a partial count.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from ._validate import check_int, show
from .errors import BudgetExceeded

if TYPE_CHECKING:
    import networkx as nx

    from .recurrence import Recurrence

__all__ = ["Call", "Trace"]

#: Default number of calls a trace records at most.
TRACE_MAX_CALLS = 200_000


class Call(NamedTuple):
    """One recorded call of the recurrence.

    Attributes
    ----------
    position : int
        Position in call order (0 is the goal).
    parent : int
        Index of the calling call, -1 for the goal.
    state
        The state called (a bare value for one-argument recurrences).
    value
        What the call returned.
    hit : bool
        True when the cache answered (``top_down`` only).
    depth : int
        Distance from the goal in the call tree.
    """

    position: int
    parent: int
    state: Any
    value: Any
    hit: bool
    depth: int


class Trace:
    """The record of one traced run: calls, hits, misses, fill order, call tree.

    Made by :meth:`dptoolkit.Recurrence.trace`.

    Attributes
    ----------
    name : str
        The recurrence's name.
    strategy : str
        ``"top_down"`` or ``"naive"``.
    value
        The goal's value.
    calls, hits, misses : int
        Every call counts once; a call answered from the cache is a hit, and
        every other call (it ran the body) a miss.
    records : tuple of Call
        The calls in call order (a preorder of the call tree).
    fill_order : list
        The states in the order their values were first stored: the order the
        cache was filled for ``top_down`` (for ``naive``, the order each state
        was first completed).
    choices : dict
        State -> label recorded by :func:`dptoolkit.choose`.
    depth : int
        The deepest level of the call tree (the goal is level 0).

    Examples
    --------
    >>> from dptoolkit.problems import fibonacci
    >>> fib, goal = fibonacci.build(4)  # fib(n) = fib(n - 1) + fib(n - 2), states 0..n
    >>> t = fib.trace(*goal)
    >>> t.calls, t.hits, t.misses, t.fill_order
    (7, 2, 5, [1, 0, 2, 3, 4])
    >>> print(t.render())
    fib(4) = 3
    ├── fib(3) = 2
    │   ├── fib(2) = 1
    │   │   ├── fib(1) = 1
    │   │   └── fib(0) = 0
    │   └── fib(1) = 1  (hit)
    └── fib(2) = 1  (hit)
    <BLANKLINE>
    7 calls: 5 misses, 2 hits
    cache filled in order: fib(1), fib(0), fib(2), fib(3), fib(4)
    """

    def __init__(
        self,
        *,
        name: str,
        strategy: str,
        value: Any,
        records: tuple[Call, ...],
        fill_order: list[Any],
        choices: dict[Any, Any],
        values: dict[Any, Any],
        fmt: Callable[[Any], str],
        names: tuple[str, ...] = (),
        axes: Callable[[], Any] | None = None,
    ) -> None:
        self.name = name
        self.strategy = strategy
        self.value = value
        self.records = records
        self.fill_order = fill_order
        self.choices = choices
        self._values = values
        self._fmt = fmt
        self._names = names  # the recurrence's parameters, the axes' names by default
        self._axes = axes  # the problem's labels, found on the first picture
        self.calls = len(records)
        self.hits = sum(1 for r in records if r.hit)
        self.misses = self.calls - self.hits
        self.depth = max((r.depth for r in records), default=0)

    def __repr__(self) -> str:
        return (
            f"<Trace {self.name} {self.strategy}: {self.calls} calls, "
            f"{self.misses} misses, {self.hits} hits>"
        )

    def draw(self, path: Any = None, **options: Any) -> Any:
        """The subproblem graph as a matplotlib Figure (the ``plot`` extra), saved to *path*.

        Hits are marked; a grid-shaped state space is laid out on its grid,
        its axes named as the problem names them (the letters of both
        strings, say) when the recurrence comes from a catalog problem's
        ``build``; ``labels=`` names them otherwise. See
        :func:`dptoolkit._plot_dag.draw_graph` for the options.
        """
        from ._labels import Labels
        from ._plot import draw_trace

        if options.get("labels") is None:
            found = self._axes() if self._axes is not None else None
            ordinal = ("first", "second", "third")
            named = tuple(
                f"{n} ({o} coordinate)" for n, o in zip(self._names, ordinal, strict=False)
            )
            options["labels"] = found if found is not None else Labels(named)
        return draw_trace(self, path, **options)

    def _repr_html_(self) -> str:
        from ._html import trace_html

        return trace_html(self)

    def children(self, index: int) -> list[int]:
        """The indices of the calls made directly by call *index*."""
        return [r.position for r in self.records if r.parent == index]

    def render(self, max_nodes: int = 100, *, values: bool = True, ascii: bool = False) -> str:
        """The call tree as text, hits marked, with the counts and the fill order.

        Parameters
        ----------
        max_nodes : int
            Show at most this many calls (in call order); a last line says how
            many more there are.
        values : bool
            Show each call's value (``fib(3) = 2``).
        ascii : bool
            Draw the tree with ``|--`` and ``` `-- ``` instead of box-drawing
            characters.

        Returns
        -------
        str
            Lines of text; no trailing newline.

        Examples
        --------
        >>> from dptoolkit.problems import fibonacci
        >>> fib, goal = fibonacci.build(20)
        >>> print(fib.trace(*goal, strategy="naive").render(max_nodes=3, values=False))
        fib(20)
        ├── fib(19)
        │   ├── fib(18)
        … 21888 more calls not shown (render(max_nodes=...) shows more)
        <BLANKLINE>
        21891 calls: 21891 misses, 0 hits
        states first completed in order: fib(1), fib(0), fib(2), … 18 more
        """
        max_nodes = check_int("max_nodes", max_nodes, minimum=1)
        tee, last, pipe, gap = (
            ("|-- ", "`-- ", "|   ", "    ") if ascii else ("├── ", "└── ", "│   ", "    ")
        )
        kids: list[list[int]] = [[] for _ in self.records]
        for r in self.records:
            if r.parent >= 0:
                kids[r.parent].append(r.position)
        lines: list[str] = []
        # iterative preorder: (index, prefix for the node, prefix for its children)
        stack: list[tuple[int, str, str]] = [(0, "", "")] if self.records else []
        while stack and len(lines) < max_nodes:
            index, head, tail = stack.pop()
            rec = self.records[index]
            text = self._fmt(rec.state)
            if values:
                text += f" = {show(rec.value)}"
            if rec.hit:
                text += "  (hit)"
            lines.append(head + text)
            children = kids[index]
            for pos in range(len(children) - 1, -1, -1):
                final = pos == len(children) - 1
                stack.append(
                    (
                        children[pos],
                        tail + (last if final else tee),
                        tail + (gap if final else pipe),
                    )
                )
        hidden = self.calls - len(lines)
        if hidden > 0:
            lines.append(
                f"… {hidden} more calls not shown (render(max_nodes=...) shows more)"
                if not ascii
                else f"... {hidden} more calls not shown (render(max_nodes=...) shows more)"
            )
        lines.append("")
        lines.append(f"{self.calls} calls: {self.misses} misses, {self.hits} hits")
        what = (
            "cache filled in order"
            if self.strategy == "top_down"
            else "states first completed in order"
        )
        order = [self._fmt(s) for s in self.fill_order[:max_nodes]]
        more = len(self.fill_order) - len(order)
        suffix = f", … {more} more" if more > 0 else ""
        lines.append(f"{what}: {', '.join(order)}{suffix}")
        return "\n".join(lines)

    def graph(self) -> nx.DiGraph:
        """The subproblem graph: an edge from each state to each state it calls.

        Returns
        -------
        networkx.DiGraph
            Nodes are states, with attributes ``value``, ``order`` (position in
            :attr:`fill_order`), ``calls`` and ``hits`` (how often the state was
            called, and answered from the cache), and ``label`` (``"fib(3)"``).
            Edges carry ``calls``: how often the parent called the child.

        Examples
        --------
        >>> from dptoolkit.problems import fibonacci
        >>> fib, goal = fibonacci.build(5)
        >>> g = fib.trace(*goal).graph()
        >>> g.number_of_nodes(), g.number_of_edges(), sorted(g.successors(5))
        (6, 8, [3, 4])
        >>> g.nodes[3]["value"], g.nodes[3]["order"], g.nodes[3]["hits"]
        (2, 3, 1)
        """
        import networkx as nx

        graph = nx.DiGraph(name=self.name, strategy=self.strategy)
        order = {state: i for i, state in enumerate(self.fill_order)}
        for state, position in order.items():
            graph.add_node(
                state,
                value=self._values.get(state),
                order=position,
                calls=0,
                hits=0,
                label=self._fmt(state),
            )
        records = self.records
        for r in records:
            node = graph.nodes[r.state]
            node["calls"] += 1
            if r.hit:
                node["hits"] += 1
            if r.parent >= 0:
                parent = records[r.parent].state
                if graph.has_edge(parent, r.state):
                    graph.edges[parent, r.state]["calls"] += 1
                else:
                    graph.add_edge(parent, r.state, calls=1)
        return graph

    def __iter__(self) -> Iterator[Call]:
        return iter(self.records)


def run_trace(
    rec: Recurrence, goal: tuple[Any, ...], strategy: str, max_calls: int | None
) -> Trace:
    """Run *rec* on *goal* with every call recorded (used by ``Recurrence.trace``)."""
    from .recurrence import _seam  # the strategy seam: see its docstring

    budget = TRACE_MAX_CALLS if max_calls is None else max_calls
    memo = strategy == "top_down"
    member = rec._membership(goal)
    key = rec._key
    normalize = rec._normalize
    arity, varargs = rec._arity, rec._varargs
    max_depth = _seam.depth_allowance()

    parents: list[int] = []
    states: list[Any] = []
    results: list[Any] = []
    hits: list[bool] = []
    depths: list[int] = []
    cache: dict[Any, Any] = {}
    done: dict[Any, Any] = {}
    fill_order: list[Any] = []
    choices: dict[Any, Any] = {}
    path: list[int] = []  # indices of the live calls
    live: set[Any] = set()
    body: Callable[..., Any] = rec._body

    def call(*args: Any, **kw: Any) -> Any:
        if kw or (not varargs and len(args) != arity):
            args = normalize(args, kw)
        state = key(args)
        index = len(states)
        if index >= budget:
            raise BudgetExceeded(
                f"trace passed max_calls={budget:,} at {rec._fmt(args)}; traces are for study: "
                "trace a smaller instance or raise max_calls",
                max_calls=budget,
            )
        parent = path[-1] if path else -1
        if memo and state in cache:
            value = cache[state]
            parents.append(parent)
            states.append(state)
            results.append(value)
            hits.append(True)
            depths.append(len(path))
            return value
        if state in live:
            cycle_at = next(i for i, p in enumerate(path) if states[p] == state)
            raise _seam.cycle_error(rec, [states[p] for p in path[cycle_at:]] + [state])
        if member is not None and not member(state):
            _seam.outside(rec, args, rec._state_args(states[parent]) if parent >= 0 else None)
        if len(path) >= max_depth:
            raise BudgetExceeded(
                f"trace reached recursion depth {len(path):,} at {rec._fmt(args)}, deeper than "
                f"the interpreter allows (sys.getrecursionlimit()={sys.getrecursionlimit()}); "
                "traces are for study: trace a smaller instance"
            )
        parents.append(parent)
        states.append(state)
        results.append(None)
        hits.append(False)
        depths.append(len(path))
        path.append(index)
        live.add(state)
        try:
            value = body(*args)
        finally:
            path.pop()
            live.discard(state)
        results[index] = value
        if state not in done:
            done[state] = value
            fill_order.append(state)
        if memo:
            cache[state] = value
        return value

    body = rec._rebind(call)
    try:
        with _seam.routed(
            rec, call, _seam.Run(lambda: states[path[-1]] if path else None, choices)
        ):
            value = call(*goal)
    except RecursionError as exc:
        raise BudgetExceeded(
            f"trace ran out of interpreter stack at depth {len(path):,}; traces are for "
            "study: trace a smaller instance"
        ) from exc
    records = tuple(
        Call(i, parents[i], states[i], results[i], hits[i], depths[i]) for i in range(len(states))
    )
    return Trace(
        name=rec.__name__,
        strategy=strategy,
        value=value,
        records=records,
        fill_order=fill_order,
        choices=choices,
        values=done,
        fmt=lambda s: _fmt_state(rec, s),
        names=rec._names,
        axes=rec._axes,
    )


def _fmt_state(rec: Recurrence, state: Any) -> str:
    return rec._fmt(rec._state_args(state))
