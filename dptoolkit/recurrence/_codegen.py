"""Code generation for the strategies: templates run with ``exec``, folding, ``dis`` scans.

Everything the engine compiles at run time lives here, so one module holds the
tricks that must be proved faithful:

* :func:`fold` -- a few lines of bookkeeping folded into a copy of a function,
  recompiled from its source (``top_down``'s per-state code, see below);
* :data:`COMPUTE` and :func:`compute_prologue` -- the wrapper ``top_down`` memoizes
  when folding is not possible;
* :func:`compile_reader`, :func:`flat_expr`, :func:`factory`,
  :func:`set_defaults`, :func:`can_generate` -- ``bottom_up``'s table readers,
  generated with the body's own parameter names;
* :func:`global_names`, :func:`writes_globals`, :func:`may_pass_keywords`,
  :func:`builtins_in_scope` -- what a body's bytecode may do, read with
  :mod:`dis` and its code objects.

Folding
-------
The recurrence engine's ``top_down`` must run a little code of its own each
time a state is computed (check the state, make it the one
:func:`~dptoolkit.choose` records for, restore it afterwards). In a wrapper
that is one more Python frame per level of recursion, and the memo engine's
deep recursion pays for every frame it unwinds. :func:`fold` instead compiles
a copy of the body with that code in front of it and the body inside
``try``/``finally``, so the memoized function is the body itself.

It only ever does so when it can prove the copy faithful: the function's
source (read with :mod:`inspect`) is parsed, compiled unchanged, and the
result must equal the function's own code (bytecode, constants, names, line
table, nested code); otherwise :func:`fold` returns ``None`` and the caller
keeps its wrapper. Lambdas, generators, functions without source, source
edited since import, class bodies with mangled names: all fall back. The
copy keeps the file name and line numbers, so tracebacks, debuggers and
coverage see the original lines.

Imports no other module of the engine (the recurrence only for type
checking); the strategies and the decorator import it.
"""

from __future__ import annotations
import __future__

import ast
import builtins
import dis
import functools
import inspect
import sys
import types
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..spaces import _state_guard

if TYPE_CHECKING:
    from ._decorator import Recurrence

__all__ = [
    "COMPUTE",
    "builtins_in_scope",
    "can_generate",
    "compile_reader",
    "compute_prologue",
    "factory",
    "flat_expr",
    "fold",
    "global_names",
    "may_pass_keywords",
    "set_defaults",
    "writes_globals",
]

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
    >>> from dptoolkit.recurrence._codegen import fold
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
        n for n in global_names(code) if isinstance(globs.get(n), types.ModuleType)
    )
    return _fold(code, imported, prologue, epilogue, names)


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


# --------------------------------------------------------------------------
# What a body's code may do
# --------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def writes_globals(code: types.CodeType) -> bool:
    """True if *code* (or code nested in it) assigns or deletes a global name."""
    for instr in dis.get_instructions(code):
        if instr.opname in ("STORE_GLOBAL", "DELETE_GLOBAL"):
            return True
    return any(isinstance(c, types.CodeType) and writes_globals(c) for c in code.co_consts)


@functools.lru_cache(maxsize=256)
def may_pass_keywords(code: types.CodeType, names: tuple[str, ...]) -> bool:
    """True if *code* may call something with a keyword among *names* (or ``**kwargs``).

    Keyword names of a call are a constant tuple of strings, so a body whose
    constants name no parameter cannot call itself by keyword.
    """
    wanted = set(names)
    for const in code.co_consts:
        if isinstance(const, tuple) and any(c in wanted for c in const if isinstance(c, str)):
            return True
        if isinstance(const, types.CodeType) and may_pass_keywords(const, names):
            return True
    for instr in dis.get_instructions(code):
        if instr.opname == "CALL_FUNCTION_EX" and (instr.arg or 0) & 1:
            return True
    return False


@functools.lru_cache(maxsize=256)
def global_names(code: types.CodeType) -> frozenset[str]:
    """The names *code* (or code nested in it) may read as globals or attributes."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= global_names(const)
    return frozenset(names)


# --------------------------------------------------------------------------
# top_down: the function it memoizes
# --------------------------------------------------------------------------

# The function top_down memoizes runs once per state computed (a miss): it
# checks the state against the declared space, pushes it on the stack of
# states being computed (the top is the state choose records for; popped in
# ``finally``, as the memo engine's unwind passes through) and runs the body.
# A box of exact ints is tested inline; any other state goes to ``_dp_slow``,
# the general test, which raises for a state outside. Best, that bookkeeping
# is folded into a copy of the body itself (:func:`fold`): one Python frame per
# level, as with ``dp.memoize`` alone, and few more slots in it (frames are
# copied whenever the memo engine unwinds a deep recursion). Else it is a
# wrapper generated with the body's parameter names (no ``*args`` tuple).
COMPUTE = """
def _dp_make(_dp_body, _dp_stack, _dp_slow, _dp_type, _dp_int, _dp_k):
    def _dp_compute({params}):
{prologue}
        try:
            return _dp_body({params})
        finally:
{epilogue}
    def _dp_set_body(body):
        nonlocal _dp_body
        _dp_body = body
    return _dp_compute, _dp_set_body
"""


def compute_prologue(
    space: Iterable[Any] | None,
    member: Callable[[Any], bool] | None,
    names: tuple[str, ...],
    state: str,
    exact: str,
) -> tuple[str, tuple[Any, ...]]:
    """The first lines of the function top_down memoizes, and the constants they read."""
    push = f"_dp_stack.append({state})\n"
    if member is None:
        return push, ()
    guard = _state_guard(space, names, exact=exact, constants="_dp_k")
    if guard is None:
        return f"_dp_slow({state})\n{push}", ()
    test, constants = guard
    return f"if not ({test}):\n    _dp_slow({state})\n{push}", constants


def builtins_in_scope(func: types.FunctionType, names: tuple[str, ...]) -> bool:
    """True if *names*, read in *func*'s body, are the builtins (nothing shadows them)."""
    code = func.__code__
    local = set(code.co_varnames) | set(code.co_freevars) | set(code.co_cellvars)
    builtins_ = func.__globals__.get("__builtins__")
    if isinstance(builtins_, types.ModuleType):
        builtins_ = builtins_.__dict__
    if not isinstance(builtins_, dict):
        return False
    return all(
        n not in local and n not in func.__globals__ and builtins_.get(n) is getattr(builtins, n)
        for n in names
    )


# --------------------------------------------------------------------------
# bottom_up: table readers
# --------------------------------------------------------------------------

# A reader is generated per recurrence so that a table read is one Python
# call with the body's own parameter names (defaults and keywords work).
# ``_dp_make(_dp_U, _dp_slow, ...)`` returns the reader and a hit counter;
# a read that finds no value goes to ``_dp_slow(state)``, which raises.
_READER = """
def _dp_make(_dp_U, _dp_slow, {args}):
    _dp_hits = 0
    def {name}({params}):
        nonlocal _dp_hits
        try:
{find}
        except TypeError:
            pass
        return _dp_slow(({tuple}))
    def _dp_count():
        return _dp_hits
    return {name}, _dp_count
"""


def compile_reader(rec: Recurrence, args: str, guards: list[str], cell: str) -> Any:
    """The factory of a reader of *rec* that returns *cell* when every guard holds."""
    names = rec._names
    lines = []
    pad = " " * 12
    for guard in guards:
        lines.append(f"{pad}if {guard}:")
        pad += "    "
    lines += [
        f"{pad}_dp_v = {cell}",
        f"{pad}if _dp_v is not _dp_U:",
        f"{pad}    _dp_hits += 1",
        f"{pad}    return _dp_v",
    ]
    return factory(
        _READER.format(
            args=args,
            find="\n".join(lines),
            name="read",
            params=", ".join(names),
            tuple="".join(f"{n}, " for n in names),
        )
    )


def flat_expr(names: Sequence[str], dims: Sequence[str]) -> str:
    """The row-major offset of a state in a box of sides *dims*, as an expression."""
    flat = names[0]
    for p, d in zip(names[1:], dims[1:], strict=True):
        flat = f"({flat}) * {d} + {p}"
    return flat


def can_generate(rec: Recurrence) -> bool:
    return (
        not rec._varargs
        and rec._arity > 0
        and all(n.isidentifier() and not n.startswith("_dp_") for n in rec._names)
    )


@functools.lru_cache(maxsize=512)
def factory(source: str) -> Any:
    """The ``_dp_make`` factory defined by *source* (compiled once per distinct source)."""
    namespace: dict[str, Any] = {}
    exec(source, namespace)  # generated from identifiers only
    return namespace["_dp_make"]


def set_defaults(rec: Recurrence, reader: Any) -> None:
    body = rec._body
    if rec._has_defaults and isinstance(body, types.FunctionType):
        reader.__defaults__ = body.__defaults__
