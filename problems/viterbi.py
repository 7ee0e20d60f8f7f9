"""Viterbi decoding: the most likely hidden state sequence of a hidden Markov model.

A hidden Markov model has states ``s`` that start with probability
``start_p[s]``, move from ``r`` to ``s`` with probability ``trans_p[r][s]``
and emit symbol ``o`` with probability ``emit_p[s][o]``. Given the
observed symbols ``o_0 ... o_{T-1}``, Viterbi decoding finds the state
sequence with the largest joint probability of states and observations.

The model is given either as dicts (the textbook form: ``states`` a list of
names, ``start_p[s]``, ``trans_p[r][s]``, ``emit_p[s][symbol]``, a symbol
missing from ``emit_p[s]`` having probability 0) or as numpy arrays
(``start_p`` of shape ``(S,)``, ``trans_p`` ``(S, S)``, ``emit_p`` ``(S, K)``,
observations integers in ``range(K)``, ``states`` the ``S`` names). Every
probability is in ``[0, 1]``; ``start_p`` and each row of ``trans_p`` sum
to 1 and each row of ``emit_p`` to at most 1 (within ``1e-6``).

``.value`` is the *natural* logarithm of the best path's joint probability
(``-inf`` when every path has probability 0, and then ``.path`` is ``None``);
``.path`` lists the states, one per observation. Everything is computed in
log space, so 100,000 observations do not underflow.

Notes
-----
Recurrence (Viterbi [1]_), in logs, ``V(t, s)`` the best log-probability of
a path ending in state ``s`` after observation ``t``::

    V(0, s) = log start_p[s] + log emit_p[s][o_0]
    V(t, s) = log emit_p[s][o_t] + max_r (V(t-1, r) + log trans_p[r][s])

The goal is one extra state ``(T, 0) = max_s V(T - 1, s)``; the states are
the grid ``(T + 1) x S`` in row order, and the path is one walk back along
the recorded choices (ties: the first state in ``states`` order).

``fast`` runs the recurrence in C (``dptoolkit._ckernels``) or, without the
extension, in numpy (one ``S x S`` maximum per observation), keeping a
``T x S`` array of back-pointers for the path.

==========  ===========  =========
strategy    time         space
==========  ===========  =========
naive       O(S^T)       O(T) stack
top_down    O(T S^2)     O(T S)
bottom_up   O(T S^2)     O(T S)
fast        O(T S^2)     O(T S)
==========  ===========  =========

Examples
--------
>>> from dptoolkit.problems import viterbi
>>> states = ("Healthy", "Fever")
>>> start = {"Healthy": 0.6, "Fever": 0.4}
>>> trans = {"Healthy": {"Healthy": 0.7, "Fever": 0.3}, "Fever": {"Healthy": 0.4, "Fever": 0.6}}
>>> emit = {"Healthy": {"normal": 0.5, "cold": 0.4, "dizzy": 0.1},
...         "Fever": {"normal": 0.1, "cold": 0.3, "dizzy": 0.6}}
>>> sol = viterbi.solve(["normal", "cold", "dizzy"], states, start, trans, emit)
>>> sol.path
['Healthy', 'Healthy', 'Fever']
>>> round(math.exp(sol.value), 5)
0.01512

References
----------
.. [1] A. J. Viterbi, "Error bounds for convolutional codes and an
   asymptotically optimum decoding algorithm", *IEEE Transactions on
   Information Theory* 13(2), 260-269, 1967.
.. [2] L. R. Rabiner, "A tutorial on hidden Markov models and selected
   applications in speech recognition", *Proceedings of the IEEE* 77(2),
   257-286, 1989.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

import dptoolkit as dp
from dptoolkit._labels import Labels, labelled
from dptoolkit._validate import check_sequence, show

from . import _ckernels
from ._answers import engine_later, pick_k
from ._run import WITH_FAST, check_memory, check_symbols, run, shows_auto, state

if TYPE_CHECKING:
    from dptoolkit.recurrence import Recurrence, Solution

__all__ = ["PROBLEMS", "brute_force", "build", "path_log_probability", "solve"]

STRATEGIES = WITH_FAST
TOLERANCE = 1e-6


@dataclass(frozen=True)
class Model:
    """A checked model as log-probability arrays, observations as integer codes."""

    states: list[Hashable]
    obs: Any  # int64 codes, shape (T,)
    log_start: Any  # (S,)
    log_trans: Any  # (S, S)
    log_emit: Any  # (S, K)


def _logs(probs: Any) -> Any:
    with np.errstate(divide="ignore"):
        return np.log(probs)


def _probabilities(name: str, values: Any, shape: tuple[int, ...], *, exact: bool) -> Any:
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise dp.InvalidType(f"{name}={show(values)} must hold probabilities (numbers)") from None
    if arr.shape != shape:
        raise dp.InvalidInput(f"{name} must have shape {shape}, got {arr.shape}")
    bad = ~((arr >= 0) & (arr <= 1))
    if bad.any():
        where = tuple(int(k) for k in np.argwhere(bad)[0])
        index = "".join(f"[{k}]" for k in where)
        raise dp.InvalidInput(
            f"{name}{index}={float(arr[where])!r} must be a probability in [0, 1]"
        )
    sums = arr.sum(axis=-1)
    off = (np.abs(sums - 1) > TOLERANCE) if exact else (sums > 1 + TOLERANCE)
    if np.any(off):
        row = int(np.argwhere(np.atleast_1d(off))[0][0])
        what = name if arr.ndim == 1 else f"{name}[{row}]"
        total = float(np.atleast_1d(sums)[row])
        rule = "sum to 1" if exact else "sum to at most 1"
        raise dp.InvalidInput(f"{what} sums to {total:.6g}; probabilities must {rule}")
    return arr


def _model(
    observations: object, states: object, start_p: object, trans_p: object, emit_p: object
) -> Model:
    names = list(check_symbols("states", states))
    if not names:
        raise dp.InvalidInput("states=[] must list at least one state")
    if len(set(names)) != len(names):
        raise dp.InvalidInput(f"states={show(states)} has a repeated state")
    n = len(names)
    if isinstance(emit_p, Mapping):
        obs_seq = check_symbols("observations", observations)
        symbols: dict[Hashable, int] = {}
        codes = [symbols.setdefault(o, len(symbols)) for o in obs_seq]

        def row(table: object, name: str, keys: Sequence[Hashable]) -> list[float]:
            if not isinstance(table, Mapping):
                raise dp.InvalidType(f"{name}={show(table)} must be a dict of probabilities")
            for key in table:
                if key not in keys and name != "emit_p" and not name.startswith("emit_p["):
                    raise dp.InvalidInput(f"{name} has {key!r}, which is not a state")
            return [table.get(k, 0.0) for k in keys]

        def table_of(table: object, name: str) -> Mapping[Any, Any]:
            if not isinstance(table, Mapping):
                raise dp.InvalidType(f"{name}={show(table)} must be a dict of dicts")
            for s in names:
                if s not in table:
                    raise dp.InvalidInput(f"{name} has no entry for state {s!r}")
            return table

        start = _probabilities("start_p", row(start_p, "start_p", names), (n,), exact=True)
        trans_t = table_of(trans_p, "trans_p")
        trans = _probabilities(
            "trans_p",
            [row(trans_t[s], f"trans_p[{s!r}]", names) for s in names],
            (n, n),
            exact=True,
        )
        emit_t = table_of(emit_p, "emit_p")
        for s in names:
            if isinstance(emit_t[s], Mapping) and sum(emit_t[s].values()) > 1 + TOLERANCE:
                raise dp.InvalidInput(f"emit_p[{s!r}] sums to more than 1")
        emit = _probabilities(
            "emit_p", [row(emit_t[s], f"emit_p[{s!r}]", list(symbols)) for s in names],
            (n, len(symbols)), exact=False,
        )  # fmt: skip
        obs = np.asarray(codes, dtype=np.int64)
    else:
        emit = np.asarray(emit_p) if not isinstance(emit_p, np.ndarray) else emit_p
        if emit.ndim != 2:
            raise dp.InvalidInput(f"emit_p must be an (S, K) array, got shape {emit.shape}")
        k = emit.shape[1]
        emit = _probabilities("emit_p", emit, (n, k), exact=False)
        start = _probabilities("start_p", start_p, (n,), exact=True)
        trans = _probabilities("trans_p", trans_p, (n, n), exact=True)
        obs = _symbols(observations, k)
    if len(obs) == 0:
        raise dp.InvalidInput(
            f"observations={show(observations)} must not be empty: a path needs one observation"
        )
    return Model(names, obs, _logs(start), _logs(trans), _logs(emit))


def _symbols(observations: object, k: int) -> Any:
    """Integer symbols in ``range(k)`` as an int64 array (a numpy integer array is checked at once)."""
    if (
        isinstance(observations, np.ndarray)
        and observations.ndim == 1
        and observations.dtype.kind in "iu"
    ):
        obs = observations.astype(np.int64)
        bad = np.flatnonzero((obs < 0) | (obs >= k))
        if len(bad):
            t = int(bad[0])
            raise dp.InvalidInput(f"observations[{t}]={int(obs[t])} must be a symbol in range({k})")
        return obs
    seq = check_sequence("observations", observations)
    obs = np.zeros(len(seq), dtype=np.int64)
    for t, o in enumerate(seq):
        if isinstance(o, bool) or not isinstance(o, (int, np.integer)):
            raise dp.InvalidType(f"observations[{t}]={show(o)} must be an integer symbol")
        if not 0 <= o < k:
            raise dp.InvalidInput(f"observations[{t}]={o} must be a symbol in range({k})")
        obs[t] = o
    return obs


def _recurrence(model: Model) -> Recurrence:
    T, S = len(model.obs), len(model.states)
    obs = model.obs.tolist()
    ls, lt, le = model.log_start.tolist(), model.log_trans.tolist(), model.log_emit.tolist()

    @dp.recurrence(states=lambda t, s: dp.grid(T + 1, S))
    def best(t: int, s: int) -> float:
        if t == T:  # the goal: the best last state; the other cells of this row are unused
            if s:
                return 0.0
            return dp.choose([(best(T - 1, r), r) for r in range(S)], best=max)  # type: ignore[no-any-return]
        if t == 0:
            return ls[s] + le[s][obs[0]]  # type: ignore[no-any-return]
        here = le[s][obs[t]]
        return here + dp.choose([(best(t - 1, r) + lt[r][s], r) for r in range(S)], best=max)  # type: ignore[no-any-return]

    return best


@labelled
def build(
    observations: Sequence[Hashable],
    states: Sequence[Hashable],
    start_p: Any,
    trans_p: Any,
    emit_p: Any,
) -> tuple[Recurrence, tuple[int, int]]:
    """The Viterbi recurrence and its goal ``(len(observations), 0)``.

    Examples
    --------
    >>> rec, goal = build("HT", "ab", {"a": 1, "b": 0}, {"a": {"a": 1}, "b": {"b": 1}},
    ...                   {"a": {"H": 0.5, "T": 0.5}, "b": {"H": 1}})
    >>> round(rec.solve(*goal, strategy="bottom_up").value, 6)
    -1.386294
    """
    model = _model(observations, states, start_p, trans_p, emit_p)
    return _recurrence(model), (len(model.obs), 0)


def _walk(choices: Any, model: Model, value: float) -> list[Hashable] | None:
    if value == -math.inf:
        return None
    T = len(model.obs)
    s = state(choices, (T, 0))
    picked = [s]
    for t in range(T - 1, 0, -1):
        s = state(choices, (t, s))
        picked.append(s)
    picked.reverse()
    return [model.states[k] for k in picked]


def path_log_probability(
    path: Sequence[Hashable],
    observations: Any,
    states: Any,
    start_p: Any,
    trans_p: Any,
    emit_p: Any,
) -> float:
    """The natural log of the joint probability of *path* and *observations* (the definition).

    Examples
    --------
    >>> round(path_log_probability("ab", "HT", "ab", {"a": 1, "b": 0},
    ...     {"a": {"a": 0.5, "b": 0.5}, "b": {"b": 1}}, {"a": {"H": 1}, "b": {"T": 1}}), 6)
    -0.693147
    """
    model = _model(observations, states, start_p, trans_p, emit_p)
    index = {s: k for k, s in enumerate(model.states)}
    ks = [index[s] for s in path]
    if len(ks) != len(model.obs):
        raise dp.InvalidInput(f"path has {len(ks)} states for {len(model.obs)} observations")
    total = float(model.log_start[ks[0]])
    for t, k in enumerate(ks):
        if t:
            total += float(model.log_trans[ks[t - 1], k])
        total += float(model.log_emit[k, model.obs[t]])
    return total


def brute_force(observations: Any, states: Any, start_p: Any, trans_p: Any, emit_p: Any) -> float:
    """The best log-probability over *all* state sequences (``S^T`` of them; tiny models).

    Examples
    --------
    >>> round(brute_force("HT", "ab", {"a": 0.5, "b": 0.5},
    ...     {"a": {"a": 0.5, "b": 0.5}, "b": {"a": 0.5, "b": 0.5}},
    ...     {"a": {"H": 1}, "b": {"T": 1}}), 6)
    -1.386294
    """
    model = _model(observations, states, start_p, trans_p, emit_p)
    return max(
        path_log_probability(p, observations, states, start_p, trans_p, emit_p)
        for p in itertools.product(model.states, repeat=len(model.obs))
    )


def _fast(model: Model, want_path: bool) -> tuple[float, Any]:
    """``(best log-probability, state codes or None)``."""
    T, S = len(model.obs), len(model.states)
    if want_path:
        check_memory("observations", f"<{T:,} symbols>", 4 * T * S, shown=f"<{T:,} symbols>")
    if _ckernels.C is not None:
        value, raw = _ckernels.C.viterbi(
            np.ascontiguousarray(model.obs),
            np.ascontiguousarray(model.log_start),
            np.ascontiguousarray(model.log_trans),
            np.ascontiguousarray(model.log_emit),
            want_path,
        )
        return float(value), (np.frombuffer(raw, dtype=np.int32) if want_path else None)
    lt, le = model.log_trans, model.log_emit
    v = model.log_start + le[:, model.obs[0]]
    back = np.zeros((T, S), dtype=np.int32) if want_path else None
    for t in range(1, T):
        scores = v[:, None] + lt
        k = np.argmax(scores, axis=0)
        if back is not None:
            back[t] = k
        v = scores[k, np.arange(S)] + le[:, model.obs[t]]
    last = int(np.argmax(v))
    if back is None:
        return float(v[last]), None
    path = np.empty(T, dtype=np.int32)
    path[-1] = last
    for t in range(T - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return float(v[last]), path


@shows_auto
def solve(
    observations: Sequence[Hashable],
    states: Sequence[Hashable],
    start_p: Any,
    trans_p: Any,
    emit_p: Any,
    *,
    strategy: str = "auto",
    k: int | None = None,
) -> Solution:
    """The most likely state sequence for *observations*, and its log-probability.

    Parameters
    ----------
    observations : sequence
        Symbols (dict models) or integers in ``range(K)`` (array models); not empty.
    states : sequence of hashable
        The state names, in the order of the array rows.
    start_p, trans_p, emit_p : dicts or numpy arrays
        See the module docstring.
    strategy : {"auto", "naive", "top_down", "bottom_up", "fast"}
        ``"auto"`` is ``"fast"`` (``"bottom_up"`` with *k*).
    k : int, optional
        Also find the *k* most likely state paths (list Viterbi):
        ``sol.k_best``, best first, each with its ``.path``; paths of
        probability 0 are left out (``fast`` is refused with *k*).

    Returns
    -------
    dp.Solution
        ``.value``: natural log of the best joint probability (``-inf`` if
        none is positive); ``.path``: the states (``None`` then).
        ``sol.count()`` and ``sol.witnesses()``: every state path whose
        log-probability equals the best exactly (as computed, in path
        order); an ``auto`` answer re-solves with ``bottom_up`` for them,
        a ``fast`` one refuses them.

    Raises
    ------
    dptoolkit.InvalidType
        For a model part of the wrong kind or a non-integer symbol.
    dptoolkit.InvalidInput
        For a probability outside ``[0, 1]``, rows not summing to 1, a
        missing state, shapes that disagree, a symbol out of range, empty
        observations or states.

    Examples
    --------
    >>> import numpy as np
    >>> sol = solve([0, 0, 1], ["rain", "sun"], np.array([0.5, 0.5]),
    ...             np.array([[0.9, 0.1], [0.1, 0.9]]), np.array([[0.8, 0.2], [0.2, 0.8]]))
    >>> sol.path
    ['rain', 'rain', 'rain']
    """
    model = _model(observations, states, start_p, trans_p, emit_p)
    asked = strategy
    strategy, k = pick_k(strategy, STRATEGIES, problem="viterbi", k=k)
    T, S = len(model.obs), len(model.states)
    if strategy == "fast":
        value, _ = _fast(model, False)

        def path() -> list[Hashable] | None:
            if value == -math.inf:
                return None
            return [model.states[k] for k in _fast(model, True)[1].tolist()]

        return engine_later(
            dp.Solution(value, strategy="fast", lazy={"path": path}),
            asked,
            lambda: solve(observations, states, start_p, trans_p, emit_p, strategy="bottom_up"),
        )
    rec = _recurrence(model)
    sol = run(rec, (T, 0), strategy, visits=(T + 1) * S, reads=(T + 1) * S * S, k=k)
    value = float(sol.value)
    choices = sol.choices
    # cell (t, s): the log-probability of the best path ending in state s at observation t
    seen = tuple(o if isinstance(o, str) else show(o) for o in observations)
    labels = Labels(
        ("t: observation", "s: hidden state (log-probability)"),
        ((*seen, "end"), tuple(str(x) for x in model.states)),
        goal=(T, 0),
        step=_back,
    )
    return sol.with_fields(
        value=value,
        lazy={"path": lambda: _walk(choices, model, value)},
        labels=labels,
        step=_back,  # one state path per choice path (row 0 has no choice: it starts there)
        witness_of=lambda each: {"path": _walk(each.choices, model, float(each.value))},
    )


def _back(here: tuple[int, int], r: int) -> tuple[int, int]:
    """Where the choice ``r`` at ``(t, s)`` leads: state ``r`` one observation earlier."""
    return here[0] - 1, r


PROBLEMS = (
    dp.Problem(
        name="viterbi",
        summary="Most likely hidden state sequence of a hidden Markov model (log space).",
        recurrence=(
            "V(t, s) = log emit[s][o_t] + max_r (V(t-1, r) + log trans[r][s]); "
            "V(0, s) = log start[s] + log emit[s][o_0]"
        ),
        time="O(T S^2)",
        space="O(T S)",
        strategies=STRATEGIES,
        solve=solve,
        module=__name__,
        example=(
            ["normal", "cold", "dizzy"],
            ["Healthy", "Fever"],
            {"Healthy": 0.6, "Fever": 0.4},
            {"Healthy": {"Healthy": 0.7, "Fever": 0.3}, "Fever": {"Healthy": 0.4, "Fever": 0.6}},
            {
                "Healthy": {"normal": 0.5, "cold": 0.4, "dizzy": 0.1},
                "Fever": {"normal": 0.1, "cold": 0.3, "dizzy": 0.6},
            },
        ),
        witness=("path",),
        build=build,
        aliases=("hmm", "hidden_markov_model"),
    ),
)
