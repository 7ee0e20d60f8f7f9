"""Fold a few lines of bookkeeping into a copy of a function, recompiled from its source.

The recurrence engine's ``top_down`` must run a little code of its own each
time a state is computed (check the state, make it the one :func:`choose`
records for, restore it afterwards). In a wrapper that is one more Python
frame per level of recursion, and the memo engine's deep recursion pays for
every frame it unwinds. :func:`fold` instead compiles a copy of the body
with that code in front of it and the body inside ``try``/``finally``, so
the memoized function is the body itself.

It only ever does so when it can prove the copy faithful: the function's
source (read with :mod:`inspect`) is parsed, compiled unchanged, and the
result must equal the function's own code (bytecode, constants, names, line
table, nested code); otherwise :func:`fold` returns ``None`` and the caller
keeps its wrapper. Lambdas, generators, functions without source, source
edited since import, class bodies with mangled names: all fall back. The
copy keeps the file name and line numbers, so tracebacks, debuggers and
coverage see the original lines.
"""

from __future__ import annotations
import __future__

import ast
import functools
import inspect
import sys
import types
from typing import Any

__all__ = ["fold"]

#: Names the folded code may use; a body already using one is not folded.
PREFIX = "_dp_"

_FUTURE_FLAGS = 0
for _feature in __future__.all_feature_names:
    _FUTURE_FLAGS |= getattr(__future__, _feature).compiler_flag
del _feature

# code flags that must match between a function and its recompiled copy
# (CO_NESTED differs for a module-level function compiled inside the factory)
_CO_NESTED = 0x10
_PLAIN = inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR


def fold(
    func: types.FunctionType, prologue: str, epilogue: str, names: tuple[str, ...]
) -> types.CodeType | None:
    """The code of *func* with *prologue* first and *epilogue* in ``finally``.

    Parameters
    ----------
    func : types.FunctionType
        A plain function (``def``, not a lambda or generator).
    prologue : str
        Statements (at column 0) to run first; they may read the function's
        parameters and the free names *names*, and assign locals named with
        the ``_dp_`` prefix.
    epilogue : str
        Statements to run when the function returns or raises.
    names : tuple of str
        The free names the prologue and epilogue read (each starts with
        ``_dp_``); the caller provides a cell for each.

    Returns
    -------
    types.CodeType or None
        The new code: its ``co_freevars`` are the function's own free
        variables and those of *names* the new lines read, in the compiler's
        order (build the closure by name). ``None`` when the copy cannot be
        proved faithful.

    Examples
    --------
    >>> from dptoolkit._fold import fold
    >>> import types
    >>> def twice(x):
    ...     return 2 * x
    >>> code = fold(twice, "_dp_log.append(x)", "", ("_dp_log",))
    >>> log = []
    >>> cells = {"_dp_log": types.CellType(log)}
    >>> copy = types.FunctionType(code, globals(), "twice",
    ...                           closure=tuple(cells[n] for n in code.co_freevars))
    >>> copy(3), copy(4), log
    (6, 8, [3, 4])

    Notes
    -----
    Results are cached by code object and lines, so a function is read and
    compiled once for a given prologue: a recurrence built afresh for every
    instance (a closure over the instance's data) folds once.
    """
    code = func.__code__
    # Python 3.11 compiles ``module.attr(...)`` differently when ``module`` is
    # bound by an import in the module: the copy must declare those imports
    globs = func.__globals__
    imported = frozenset(
        n for n in _global_names(code) if isinstance(globs.get(n), types.ModuleType)
    )
    return _fold(code, imported, prologue, epilogue, names)


@functools.lru_cache(maxsize=256)
def _global_names(code: types.CodeType) -> frozenset[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _global_names(const)
    return frozenset(names)


@functools.lru_cache(maxsize=256)
def _fold(
    code: types.CodeType,
    imported: frozenset[str],
    prologue: str,
    epilogue: str,
    names: tuple[str, ...],
) -> types.CodeType | None:
    if code.co_flags & _PLAIN or code.co_name == "<lambda>":
        return None
    used = set(code.co_varnames) | set(code.co_names) | set(code.co_freevars)
    used |= set(code.co_cellvars)
    if any(n.startswith(PREFIX) for n in used) or not all(n.startswith(PREFIX) for n in names):
        return None
    func = _definition(code)
    if func is None:
        return None
    flags = code.co_flags & _FUTURE_FLAGS
    try:
        faithful = _compile(func, code, flags, (), frozenset())
        if faithful is None or not _same(faithful, code):
            # maybe names bound by imports: the same, declaring them
            faithful = _compile(func, code, flags, (), imported)
            if faithful is None or not _same(faithful, code):
                return None
        else:
            imported = frozenset()
        extra = ast.parse(prologue).body
        finally_: list[ast.stmt] = ast.parse(epilogue).body if epilogue.strip() else [ast.Pass()]
    except (SyntaxError, ValueError, TypeError, RecursionError):
        return None
    body = func.body
    doc = body[:1] if ast.get_docstring(func, clean=False) is not None else []
    rest = body[len(doc) :]
    if not rest:
        return None
    # the added lines are reported at the function's first line (its decorator)
    where = ast.Pass(
        lineno=func.lineno,
        col_offset=func.col_offset,
        end_lineno=func.lineno,
        end_col_offset=func.col_offset,
    )
    for node in [*extra, *finally_]:
        for sub in ast.walk(node):
            if isinstance(sub, (ast.stmt, ast.expr)):
                ast.copy_location(sub, where)
    wrapped = ast.copy_location(
        ast.Try(body=rest, handlers=[], orelse=[], finalbody=finally_), where
    )
    func.body = [*doc, *extra, wrapped]
    try:
        folded = _compile(func, code, flags, names, imported)
    except (SyntaxError, ValueError, TypeError, RecursionError):
        return None
    if folded is None:
        return None
    if sys.version_info >= (3, 11):
        folded = folded.replace(co_qualname=code.co_qualname)
    return folded


def _definition(code: types.CodeType) -> ast.FunctionDef | None:
    """The ``def`` of *code*, parsed from its source (decorators, annotations, defaults dropped).

    Line and column numbers are those of the file.
    """
    try:
        lines, start = inspect.getsourcelines(code)
    except (OSError, TypeError, IndexError):
        return None
    if not lines or start < 1:
        return None
    source = "".join(lines)
    offset = start - 1
    if lines[0][:1] in (" ", "\t"):  # an indented def: parse it as a block, columns kept
        source = "if 1:\n" + source
        offset -= 1
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError):
        return None
    first = tree.body[0] if tree.body else None
    if isinstance(first, ast.If):
        first = first.body[0] if first.body else None
    if not isinstance(first, ast.FunctionDef) or first.name != code.co_name:
        return None
    ast.increment_lineno(first, offset)
    top = first.decorator_list[0].lineno if first.decorator_list else first.lineno
    first.decorator_list = []
    first.lineno = top  # co_firstlineno is the first decorator's line
    first.returns = None
    arguments = first.args
    arguments.defaults = []
    arguments.kw_defaults = [None for _ in arguments.kw_defaults]
    for arg in [
        *arguments.posonlyargs,
        *arguments.args,
        *arguments.kwonlyargs,
        *filter(None, (arguments.vararg, arguments.kwarg)),
    ]:
        arg.annotation = None
    return first


def _compile(
    func: ast.FunctionDef,
    code: types.CodeType,
    flags: int,
    names: tuple[str, ...],
    imported: frozenset[str],
) -> types.CodeType | None:
    """Compile *func* inside a factory whose locals are its free variables and *names*.

    The module declares the names *imported* as imports (the factory is
    compiled, never run). Returns the code of *func*.
    """
    freevars = code.co_freevars
    params = [ast.arg(arg=n) for n in (*freevars, *names)]
    fields: dict[str, Any] = {"type_params": []} if "type_params" in ast.FunctionDef._fields else {}
    factory = ast.FunctionDef(
        name=f"{PREFIX}factory",
        args=ast.arguments(posonlyargs=[], args=params, kwonlyargs=[], kw_defaults=[], defaults=[]),
        # the factory only compiles, never runs: its ``def`` must not make the
        # function's own name a closure variable when the original reads a global
        body=[
            *([] if func.name in freevars else [ast.Global(names=[func.name])]),
            func,
            ast.Return(value=ast.Name(id=func.name, ctx=ast.Load())),
        ],
        decorator_list=[],
        returns=None,
        type_comment=None,
        **fields,
    )
    imports = [ast.Import(names=[ast.alias(name=n)]) for n in sorted(imported)]
    module = ast.Module(body=[*imports, factory], type_ignores=[])
    ast.fix_missing_locations(module)
    compiled = compile(module, code.co_filename, "exec", flags=flags, dont_inherit=True)
    outer = next(c for c in compiled.co_consts if isinstance(c, types.CodeType))
    inner = [c for c in outer.co_consts if isinstance(c, types.CodeType) and c.co_name == func.name]
    return inner[0] if len(inner) == 1 else None


def _same(a: types.CodeType, b: types.CodeType) -> bool:
    """True if two code objects compile the same function (the factory aside)."""
    if (
        a.co_code != b.co_code
        or a.co_names != b.co_names
        or a.co_varnames != b.co_varnames
        or a.co_freevars != b.co_freevars
        or a.co_cellvars != b.co_cellvars
        or a.co_argcount != b.co_argcount
        or a.co_posonlyargcount != b.co_posonlyargcount
        or a.co_kwonlyargcount != b.co_kwonlyargcount
        or (a.co_flags | _CO_NESTED) != (b.co_flags | _CO_NESTED)
        or a.co_firstlineno != b.co_firstlineno
        or list(a.co_lines()) != list(b.co_lines())
        or len(a.co_consts) != len(b.co_consts)
    ):
        return False
    for x, y in zip(a.co_consts, b.co_consts, strict=True):
        if isinstance(x, types.CodeType):
            if not (isinstance(y, types.CodeType) and _same(x, y)):
                return False
        elif type(x) is not type(y) or repr(x) != repr(y):
            return False
    return True
