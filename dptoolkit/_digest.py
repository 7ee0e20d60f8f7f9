"""Stable identities for persistent keys: which function, which version of it.

A persistent key is ``namespace(func) + blake2b(fingerprint(func) + args)``:

* :func:`namespace` (8 bytes) names the function by module and qualified
  name; a store clears one function's entries by this prefix.
* :func:`fingerprint` (16 bytes) digests what the function *is*, so results
  computed by an older version of it are never served:

  - its code object: bytecode, constants, names (globals and attributes it
    uses, local, free and cell variables), argument counts and flags (not
    the ``__future__`` flags a module passes to its functions),
    recursively for every nested code object (inner functions, lambdas,
    comprehensions) together with their names;
  - its default and keyword-only default values (a default the canonical
    encoding cannot express counts by its type only);
  - the values its closure holds: encodable values by value, Python
    functions (lambdas, local functions) by their own fingerprint, classes,
    modules and builtins by qualified name, a bound method by its function
    and its instance, an unfilled cell (the function referring to itself) as
    such. Any other closure value raises
    :class:`~dptoolkit.errors.UnsupportedValue`: two closures over different
    data would otherwise share results.

  Not counted: file names and line numbers (moving code does not invalidate
  the cache), docstrings are constants and *do* count, and the code of other
  functions it calls, or the global variables it reads. Bytecode differs
  between Python minor versions, so each version keeps its own entries.

Everything is built from :func:`~dptoolkit._codec.encode_key`, never from
Python's salted ``hash`` nor from ``repr`` of unordered containers, so the
digests are equal in every process and on every machine.
"""

from __future__ import annotations

import hashlib
import types
from collections.abc import Callable
from typing import Any

from ._codec import encode_key
from .errors import UnsupportedValue

__all__ = ["fingerprint", "namespace", "qualified_name"]


def qualified_name(func: Callable[..., Any]) -> str:
    """``module:qualname`` of *func* (its ``__wrapped__`` chain is followed first)."""
    target = _unwrap(func)
    module = getattr(target, "__module__", None) or "?"
    qualname = getattr(target, "__qualname__", None) or getattr(target, "__name__", None)
    return f"{module}:{qualname or type(target).__qualname__}"


def namespace(func: Callable[..., Any]) -> bytes:
    """Eight bytes naming *func* by module and qualified name.

    >>> def f(n): return n
    >>> len(namespace(f))
    8
    """
    return hashlib.blake2b(qualified_name(func).encode("utf-8"), digest_size=8).digest()


def fingerprint(func: Callable[..., Any]) -> bytes:
    """Sixteen bytes that change whenever the code of *func* changes.

    >>> def f(n): return n + 1
    >>> def g(n): return n + 2
    >>> fingerprint(f) == fingerprint(g)
    False

    Raises
    ------
    UnsupportedValue
        A closure variable holds a value with no stable encoding.
    """
    target = _unwrap(func)
    parts = _parts(target, set())
    return hashlib.blake2b(encode_key(tuple(parts)), digest_size=16).digest()


def _parts(target: Any, seen: set[int]) -> list[Any]:
    """What the fingerprint of *target* digests (*seen*: the functions on the way here)."""
    parts: list[Any] = [qualified_name(target)]
    code = getattr(target, "__code__", None)
    if isinstance(code, types.CodeType):
        seen = seen | {id(target)}
        parts.append(_code_tree(code))
        parts.append(_defaults(getattr(target, "__defaults__", None)))
        kwdefaults = getattr(target, "__kwdefaults__", None) or {}
        parts.append(tuple((k, _defaults((v,))) for k, v in sorted(kwdefaults.items())))
        parts.append(_closure(target, code, seen))
    else:  # a builtin or a callable object: only its name is known
        parts.append(type(target).__qualname__)
    return parts


def _unwrap(func: Any) -> Any:
    seen = set()
    while hasattr(func, "__wrapped__") and id(func) not in seen:
        seen.add(id(func))
        func = func.__wrapped__
    # bound methods: the function underneath
    return getattr(func, "__func__", func)


def _code_tree(code: types.CodeType) -> tuple[Any, ...]:
    consts = tuple(_const(c) for c in code.co_consts)
    return (
        code.co_name,
        code.co_code,
        consts,
        code.co_names,
        code.co_varnames,
        code.co_freevars,
        code.co_cellvars,
        code.co_argcount,
        code.co_posonlyargcount,
        code.co_kwonlyargcount,
        code.co_flags & 0xFFFF,  # not the __future__ flags a compiler passes along
    )


def _const(value: Any) -> Any:
    if isinstance(value, types.CodeType):
        return ("<code>", _code_tree(value))
    if isinstance(value, (tuple, frozenset)):
        # constant containers may hold code objects in principle; map them through
        mapped = [_const(v) for v in value]
        return tuple(mapped) if isinstance(value, tuple) else frozenset(mapped)
    if value is None or isinstance(value, (bool, int, float, complex, str, bytes)):
        return value
    if value is Ellipsis:
        return value
    return ("<const>", type(value).__qualname__, repr(value))


def _defaults(values: tuple[Any, ...] | None) -> tuple[Any, ...]:
    if not values:
        return ()
    out = []
    for value in values:
        try:
            encode_key((value,))
        except UnsupportedValue:
            value = ("<default of type>", type(value).__module__, type(value).__qualname__)
        out.append(value)
    return tuple(out)


def _closure(func: Any, code: types.CodeType, seen: set[int]) -> tuple[Any, ...]:
    cells = getattr(func, "__closure__", None) or ()
    out: list[Any] = []
    for name, cell in zip(code.co_freevars, cells, strict=False):
        try:
            value = cell.cell_contents
        except ValueError:  # not filled yet: typically the function itself
            out.append((name, "<empty>"))
            continue
        out.append((name, _closure_value(func, name, value, seen)))
    return tuple(out)


def _closure_value(func: Any, name: str, value: Any, seen: set[int]) -> Any:
    if isinstance(value, types.ModuleType):
        return ("<module>", value.__name__)
    if isinstance(value, type):
        return ("<named>", qualified_name(value))
    if isinstance(value, types.MethodType) and not isinstance(value.__self__, type):
        # a bound method: its instance is data like any other closure value
        return (
            "<method>",
            _closure_value(func, name, value.__func__, seen),
            _closure_value(func, name, value.__self__, seen),
        )
    if callable(value):
        named = _unwrap(value)
        if isinstance(named, types.FunctionType):
            # by code, not by name: two closures over different lambdas (or
            # local functions of one name) must not share results
            if id(named) in seen:
                return ("<recursive>", qualified_name(named))
            return ("<function>", *_parts(named, seen))
        if hasattr(named, "__qualname__"):
            return ("<named>", qualified_name(named))
    try:
        encode_key((value,))
    except UnsupportedValue:
        cls = type(value)
        raise UnsupportedValue(
            f"cannot fingerprint {qualified_name(func)}: its closure variable {name!r} holds a "
            f"{cls.__module__}.{cls.__qualname__}, which has no stable encoding, so two "
            "closures over different data would share results; register a codec for it "
            "(dp.register_codec) or pass the data as an argument"
        ) from None
    return value
