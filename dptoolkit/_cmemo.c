/*
 * dptoolkit._cmemo: the C hit path of @memoize.
 *
 * FastWrapper(cache, miss, *, typed=False, lru=False, awaitable=False) is the
 * object a user holds after @memoize. A call looks its key up in the dict
 * `cache` and, on a hit, returns the value without running Python code (for
 * an `async def` function, awaitable=True, wrapped in a Ready: a finished
 * coroutine); everything else goes to the Python callable `miss`. The contract is in docs/internals.md ("The
 * C hit path"); dptoolkit/_fastpath.py holds PyFastWrapper, the pure-Python
 * twin with the same behaviour, and tests/test_fastpath.py runs one suite
 * against both.
 *
 * An argument that is exactly a list, dict, set or bytearray cannot be
 * hashed: such a call goes to `miss` at once (which freezes it into a key),
 * rather than after two failed hashes (step 3 of the contract, sooner).
 *
 * The call uses vectorcall (PEP 590): the per-instance function pointer at
 * __vectorcalloffset__ receives the caller's argument array, so a hit on a
 * lone int or str argument allocates nothing (but the Ready, when awaitable). The type is a heap type made
 * with PyType_FromModuleAndSpec; CPython 3.10 and 3.11 honour
 * Py_TPFLAGS_HAVE_VECTORCALL on such a type when the spec also declares the
 * __vectorcalloffset__ member (as functools.partial does). The type is
 * immutable (Py_TPFLAGS_IMMUTABLETYPE), so nobody can assign __call__ on it
 * and leave the vectorcall pointer stale.
 *
 * Thread safety: every field the hit path reads is written once in tp_new,
 * before the object is visible, except `hits` and `enabled`, which are single
 * machine words written with the GIL held. The dict lookup can run Python
 * code (a key element's __eq__) and so release the GIL; the value it finds is
 * therefore INCREF'd before anything else happens, and a KeyError from
 * move_to_end (the key removed by another thread meanwhile) is ignored. A
 * hit can never observe a half-updated wrapper or return a freed value.
 * Free-threaded CPython (3.13t) is out of scope: the module declares
 * Py_MOD_GIL_USED, so importing it there turns the GIL back on.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stddef.h>

#if PY_VERSION_HEX < 0x030C0000
#include "structmember.h"
#define Py_T_PYSSIZET T_PYSSIZET
#define Py_T_OBJECT_EX T_OBJECT_EX
#define Py_READONLY READONLY
#endif

typedef struct {
    PyObject_HEAD
    PyObject *cache;       /* a dict (OrderedDict when lru); NULL once cleared */
    PyObject *miss;        /* called for everything the hit path cannot answer */
    PyObject *move_to_end; /* cache.move_to_end, bound, when lru; else NULL */
    PyObject *dict;        /* the instance __dict__ (update_wrapper writes it) */
    PyObject *weakreflist;
    vectorcallfunc vectorcall;
    PyTypeObject *ready;   /* the Ready type, when hits are awaited (async def); else NULL */
    long long hits;
    char enabled;
    char typed;
    /* the C miss path (see c_miss); compute is NULL when misses go to miss */
    PyObject *compute;     /* the user's function */
    PyObject *flights;     /* key -> flight in progress (dict) */
    PyObject *record;      /* the CacheState, flight[CACHE] */
    PyObject *evict;       /* cache.popitem(last=False) when bounded; else NULL */
    Py_ssize_t maxsize;    /* -1: unbounded */
    long long misses;
} FastWrapper;

/* "_bind", interned once, and the Ready type, made once. The module is
 * single-interpreter (see the slots). */
static PyObject *str_bind = NULL;
static PyObject *ready_type = NULL;

/* Set once by _cmemo.setup() (dptoolkit.memo._sync): the hooks of the C miss
 * path into the Python engine. */
static PyObject *hook_state = NULL;   /* () -> this thread's ThreadState */
static PyObject *hook_raised = NULL;  /* the Raised type: (error, traceback) */
static PyObject *hook_shrink = NULL;  /* (state, depth): a level overflowed */
static PyObject *hook_finish = NULL;  /* (state, error): the outermost call failed */
static PyObject *str_chain = NULL, *str_budget = NULL, *str_base = NULL, *str_genuine = NULL,
                *str_reset = NULL, *str_release = NULL;
static PyObject *empty_kwargs = NULL; /* flight[KWARGS] of a C miss (never mutated) */
/* this thread's ThreadState and its chain, cached by thread-state id */
static uint64_t cached_tid = 0;
static PyObject *cached_state = NULL, *cached_chain = NULL;

/* The fields of a flight, as dptoolkit.memo._flight names them. */
enum { F_OWNER, F_STATUS, F_OUTCOME, F_GATE, F_ARGS, F_KWARGS, F_CACHE, F_KEY, F_SIZE };
/* and its statuses */
enum { S_PENDING, S_VALUE, S_ERROR, S_RETRY };
/* the budget a ThreadState starts with (dptoolkit.memo._deep.PROBE) */
static Py_ssize_t probe_budget = 32;

/* Raise dptoolkit.errors.InvalidType("<name>=<show(value)> <tail>"), or a
 * plain TypeError when the package's Python side cannot be imported. */
static void
raise_invalid(const char *name, PyObject *value, const char *tail)
{
    PyObject *exc_type = NULL, *shown = NULL;
    PyObject *errors = PyImport_ImportModule("dptoolkit.errors");
    PyObject *validate = errors ? PyImport_ImportModule("dptoolkit._validate") : NULL;
    if (validate != NULL) {
        exc_type = PyObject_GetAttrString(errors, "InvalidType");
        PyObject *show = PyObject_GetAttrString(validate, "show");
        if (show != NULL) {
            shown = PyObject_CallOneArg(show, value);
            Py_DECREF(show);
        }
    }
    Py_XDECREF(errors);
    Py_XDECREF(validate);
    if (exc_type == NULL || shown == NULL) {
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError, "%s=%R %s", name, value, tail);
    }
    else {
        PyErr_Format(exc_type, "%s=%U %s", name, shown, tail);
    }
    Py_XDECREF(exc_type);
    Py_XDECREF(shown);
}

/* The key rule, mirrored once from dptoolkit.keys.fast_key (the one Python
 * statement of it): args[0] for a lone exact int or str, else the args tuple,
 * followed by the arguments' types when typed. _cmemo.fast_key exposes it so
 * a test can check that both agree. */
static PyObject *
make_key(PyObject *const *args, Py_ssize_t nargs, int typed)
{
    if (nargs == 1 && (PyLong_CheckExact(args[0]) || PyUnicode_CheckExact(args[0]))) {
        return Py_NewRef(args[0]);
    }
    PyObject *key = PyTuple_New(typed ? 2 * nargs : nargs);
    if (key == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < nargs; i++) {
        PyTuple_SET_ITEM(key, i, Py_NewRef(args[i]));
        if (typed) {
            PyTuple_SET_ITEM(key, nargs + i, Py_NewRef((PyObject *)Py_TYPE(args[i])));
        }
    }
    return key;
}

/* A lookup of `key` just raised TypeError. Return 1, with no exception set,
 * when hashing the key raises TypeError (the call then goes to miss). Return
 * 0 with an exception set otherwise: the original TypeError when the key
 * hashes (it came from an __eq__), or whatever else hashing raised. */
static int
type_error_is_unhashable(PyObject *key)
{
#if PY_VERSION_HEX >= 0x030C0000
    PyObject *original = PyErr_GetRaisedException();
#else
    PyObject *etype, *evalue, *etb;
    PyErr_Fetch(&etype, &evalue, &etb);
#endif
    Py_hash_t h = PyObject_Hash(key);
    int unhashable = 0, restore = 0;
    if (h == -1) {
        if (PyErr_ExceptionMatches(PyExc_TypeError)) {
            PyErr_Clear();
            unhashable = 1;
        }
    }
    else {
        restore = 1;
    }
#if PY_VERSION_HEX >= 0x030C0000
    if (restore) {
        PyErr_SetRaisedException(original);
    }
    else {
        Py_XDECREF(original);
    }
#else
    if (restore) {
        PyErr_Restore(etype, evalue, etb);
    }
    else {
        Py_XDECREF(etype);
        Py_XDECREF(evalue);
        Py_XDECREF(etb);
    }
#endif
    return unhashable;
}

/* ------------------------------------------------------------------------
 * Ready: what a hit of a memoized `async def` function returns.
 *
 * A finished coroutine holding the cached value: `await` gives the value
 * (am_await returns the object itself, whose am_send returns the value at
 * once, allocating nothing), and it has send/throw/close, so asyncio takes it
 * wherever it takes a coroutine (create_task, TaskGroup, run, ensure_future,
 * gather, wait_for). Unlike a coroutine it can be awaited more than once.
 * A hit costs one small allocation, as calling an `async def` function does.
 * ------------------------------------------------------------------------ */

typedef struct {
    PyObject_HEAD
    PyObject *value;
} Ready;

static PyObject *
ready_new_value(PyTypeObject *type, PyObject *value)
{
    Ready *self = PyObject_GC_New(Ready, type);
    if (self == NULL) {
        return NULL;
    }
    self->value = Py_NewRef(value);
    PyObject_GC_Track(self);
    return (PyObject *)self;
}

static PyObject *
ready_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *value;
    static char *kwlist[] = {"value", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O:Ready", kwlist, &value)) {
        return NULL;
    }
    return ready_new_value(type, value);
}

static int
ready_traverse(PyObject *op, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(op));
    Py_VISIT(((Ready *)op)->value);
    return 0;
}

static int
ready_clear(PyObject *op)
{
    Py_CLEAR(((Ready *)op)->value);
    return 0;
}

static void
ready_dealloc(PyObject *op)
{
    PyTypeObject *tp = Py_TYPE(op);
    PyObject_GC_UnTrack(op);
    (void)ready_clear(op);
    tp->tp_free(op);
    Py_DECREF(tp);
}

static PyObject *
ready_value(PyObject *op)
{
    PyObject *value = ((Ready *)op)->value;
    if (value == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "this Ready has been cleared");
    }
    return value; /* borrowed */
}

/* finish: raise StopIteration(value) (an instance: a tuple value stays whole) */
static PyObject *
ready_stop(PyObject *op)
{
    PyObject *value = ready_value(op);
    if (value == NULL) {
        return NULL;
    }
    PyObject *stop = PyObject_CallOneArg(PyExc_StopIteration, value);
    if (stop != NULL) {
        PyErr_SetObject(PyExc_StopIteration, stop);
        Py_DECREF(stop);
    }
    return NULL;
}

static PyObject *
ready_await(PyObject *op)
{
    return Py_NewRef(op);
}

static PySendResult
ready_am_send(PyObject *op, PyObject *arg, PyObject **result)
{
    (void)arg;
    PyObject *value = ready_value(op);
    if (value == NULL) {
        *result = NULL;
        return PYGEN_ERROR;
    }
    *result = Py_NewRef(value);
    return PYGEN_RETURN;
}

static PyObject *
ready_iternext(PyObject *op)
{
    return ready_stop(op);
}

static PyObject *
ready_send(PyObject *op, PyObject *Py_UNUSED(arg))
{
    return ready_stop(op);
}

/* throw(exc) or throw(type[, value[, traceback]]): raise it (a task cancelled
 * before its first step throws CancelledError in) */
static PyObject *
ready_throw(PyObject *op, PyObject *args)
{
    (void)op;
    PyObject *typ, *val = Py_None, *tb = Py_None, *exc;
    if (!PyArg_UnpackTuple(args, "throw", 1, 3, &typ, &val, &tb)) {
        return NULL;
    }
    if (val != Py_None) {
        exc = PyExceptionInstance_Check(val) ? Py_NewRef(val) : PyObject_CallOneArg(typ, val);
    }
    else if (PyExceptionInstance_Check(typ)) {
        exc = Py_NewRef(typ);
    }
    else if (PyExceptionClass_Check(typ)) {
        exc = PyObject_CallNoArgs(typ);
    }
    else {
        PyErr_SetString(PyExc_TypeError, "throw() expects an exception");
        return NULL;
    }
    if (exc == NULL) {
        return NULL;
    }
    if (!PyExceptionInstance_Check(exc)) {
        Py_DECREF(exc);
        PyErr_SetString(PyExc_TypeError, "throw() expects an exception");
        return NULL;
    }
    if (tb != Py_None && PyException_SetTraceback(exc, tb) < 0) {
        Py_DECREF(exc);
        return NULL;
    }
    PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    Py_DECREF(exc);
    return NULL;
}

static PyObject *
ready_close(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    (void)op;
    Py_RETURN_NONE;
}

static PyObject *
ready_repr(PyObject *op)
{
    PyObject *value = ((Ready *)op)->value;
    if (value == NULL) {
        return PyUnicode_FromString("<dptoolkit memoized result (cleared)>");
    }
    return PyUnicode_FromFormat("<dptoolkit memoized result %R>", value);
}

static PyMethodDef ready_methods[] = {
    {"send", ready_send, METH_O, "Finish at once: raise StopIteration(value)."},
    {"throw", ready_throw, METH_VARARGS, "Raise the exception thrown in."},
    {"close", ready_close, METH_NOARGS, "Do nothing: there is nothing to release."},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef ready_members[] = {
    {"value", Py_T_OBJECT_EX, offsetof(Ready, value), Py_READONLY, "The cached value."},
    {NULL, 0, 0, 0, NULL},
};

PyDoc_STRVAR(ready_doc,
"Ready(value)\n\
--\n\
\n\
A finished coroutine: awaiting it gives value (as often as you like).\n\
A hit of a memoized async def function returns one.");

static PyType_Slot ready_slots[] = {
    {Py_tp_doc, (void *)ready_doc},
    {Py_tp_new, ready_new},
    {Py_tp_dealloc, ready_dealloc},
    {Py_tp_traverse, ready_traverse},
    {Py_tp_clear, ready_clear},
    {Py_tp_repr, ready_repr},
    {Py_tp_iter, ready_await},
    {Py_tp_iternext, ready_iternext},
    {Py_am_await, ready_await},
    {Py_am_send, ready_am_send},
    {Py_tp_methods, ready_methods},
    {Py_tp_members, ready_members},
    {0, NULL},
};

static PyType_Spec ready_spec = {
    .name = "dptoolkit._cmemo.Ready",
    .basicsize = sizeof(Ready),
    .itemsize = 0,
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_IMMUTABLETYPE,
    .slots = ready_slots,
};

static PyObject *
cleared_error(void)
{
    PyErr_SetString(PyExc_ReferenceError, "this memoized function has been cleared");
    return NULL;
}

/* The exception being raised, as one object (a new reference), and back. */
static PyObject *
take_error(void)
{
#if PY_VERSION_HEX >= 0x030C0000
    return PyErr_GetRaisedException();
#else
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    if (tb != NULL && value != NULL) {
        PyException_SetTraceback(value, tb);
    }
    Py_XDECREF(type);
    Py_XDECREF(tb);
    return value;
#endif
}

static void
give_error(PyObject *exc)
{
#if PY_VERSION_HEX >= 0x030C0000
    PyErr_SetRaisedException(exc);
#else
    PyObject *tb = PyException_GetTraceback(exc);
    PyErr_Restore(Py_NewRef((PyObject *)Py_TYPE(exc)), exc, tb);
#endif
}

/* ------------------------------------------------------------------------
 * The C miss path: the common case of dptoolkit.memo._sync's miss (no
 * keyword arguments, no store, condition, ttl or cached errors, not a
 * method's instance cache), step for step. Whatever is not common goes to the
 * Python miss: a key in flight (joining it, or naming a cycle), a call at the
 * depth budget (probing, or going on on a helper thread), a RecursionError
 * to retry. The flight is the same list the Python path builds.
 * ------------------------------------------------------------------------ */

/* This thread's ThreadState (borrowed) and its chain (borrowed), or NULL. */
static PyObject *
thread_state(PyObject **chain)
{
    uint64_t tid = PyThreadState_GetID(PyThreadState_Get());
    if (cached_state == NULL || tid != cached_tid) {
        PyObject *st = PyObject_CallNoArgs(hook_state);
        if (st == NULL) {
            return NULL;
        }
        PyObject *ch = PyObject_GetAttr(st, str_chain);
        if (ch == NULL || !PyList_CheckExact(ch)) {
            Py_DECREF(st);
            Py_XDECREF(ch);
            if (!PyErr_Occurred()) {
                PyErr_SetString(PyExc_TypeError, "ThreadState.chain must be a list");
            }
            return NULL;
        }
        Py_XSETREF(cached_state, st);
        Py_XSETREF(cached_chain, ch);
        cached_tid = tid;
    }
    *chain = cached_chain;
    return cached_state;
}

static Py_ssize_t
int_attr(PyObject *obj, PyObject *name)
{
    PyObject *v = PyObject_GetAttr(obj, name);
    if (v == NULL) {
        return -1;
    }
    Py_ssize_t n = PyLong_AsSsize_t(v);
    Py_DECREF(v);
    return n;
}

/* End our flight with C operations only (it may run at the recursion limit):
 * publish the status and outcome, unregister it, wake its waiters. */
static void
flight_end(FastWrapper *self, PyObject *key, PyObject *flight, int status, PyObject *outcome)
{
    PyList_SetItem(flight, F_OUTCOME, Py_NewRef(outcome));
    PyList_SetItem(flight, F_STATUS, PyLong_FromLong(status));
    /* ours: only we remove it (a forked child drops only other threads') */
    if (PyDict_DelItem(self->flights, key) < 0) {
        PyErr_Clear();
    }
    if (Py_REFCNT(flight) > 1 && !PyObject_GC_IsTracked(flight)) {
        PyObject_GC_Track(flight); /* a waiter holds it: it may join a cycle */
    }
    PyObject *gate = PyList_GET_ITEM(flight, F_GATE);
    if (gate != Py_None) {
        PyObject *res = PyObject_CallMethodNoArgs(gate, str_release);
        if (res == NULL) {
            PyErr_Clear();
        }
        Py_XDECREF(res);
    }
}

static void
chain_pop(PyObject *chain)
{
    Py_ssize_t n = PyList_GET_SIZE(chain);
    if (n > 0 && PyList_SetSlice(chain, n - 1, n, NULL) < 0) {
        PyErr_Clear();
    }
}

/* Flights that ended unshared, kept for the next miss: a list of 8 costs two
 * allocations (object and items) and two frees. Kept untracked and filled
 * with None. */
#define SPARE_FLIGHTS 16
static PyObject *spare[SPARE_FLIGHTS];
static int spares = 0;

static PyObject *
flight_new(void)
{
    if (spares > 0) {
        return spare[--spares];
    }
    PyObject *flight = PyList_New(F_SIZE);
    if (flight == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < F_SIZE; i++) {
        PyList_SET_ITEM(flight, i, Py_NewRef(Py_None));
    }
    PyObject_GC_UnTrack(flight);
    return flight;
}

/* Drop our reference to an ended flight (recycle it if nobody else holds it). */
static void
flight_drop(PyObject *flight)
{
    if (Py_REFCNT(flight) != 1 || spares >= SPARE_FLIGHTS || PyObject_GC_IsTracked(flight)
        || PyList_GET_SIZE(flight) != F_SIZE) {
        Py_DECREF(flight);
        return;
    }
    for (Py_ssize_t i = 0; i < F_SIZE; i++) {
        PyObject *item = PyList_GET_ITEM(flight, i);
        PyList_SET_ITEM(flight, i, Py_NewRef(Py_None));
        Py_DECREF(item);
    }
    spare[spares++] = flight;
}

static inline void
set_item(PyObject *list, Py_ssize_t i, PyObject *value) /* steals value */
{
    PyObject *old = PyList_GET_ITEM(list, i);
    PyList_SET_ITEM(list, i, value);
    Py_DECREF(old);
}

static PyObject *
c_miss(FastWrapper *self, PyObject *key, PyObject *const *args, size_t nargsf)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    PyObject *chain;
    PyObject *st = thread_state(&chain);
    if (st == NULL) {
        return NULL;
    }
    Py_ssize_t depth = PyList_GET_SIZE(chain);
    Py_ssize_t budget = int_attr(st, str_budget);
    if (budget == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (depth >= budget) { /* probe, or go on on a helper thread: Python */
        return PyObject_Vectorcall(self->miss, args, nargsf, NULL);
    }
    /* flight[ARGS] is None when the key is the lone argument itself (the
     * common case: no tuple to build; dptoolkit.memo._flight.call_args) */
    PyObject *targs = Py_None;
    if (!(nargs == 1 && key == args[0])) {
        targs = PyTuple_New(nargs);
        if (targs == NULL) {
            return NULL;
        }
        int atomic = 1;
        for (Py_ssize_t i = 0; i < nargs; i++) {
            PyTuple_SET_ITEM(targs, i, Py_NewRef(args[i]));
            atomic = atomic && (!PyObject_IS_GC(args[i]) || !PyObject_GC_IsTracked(args[i]));
        }
        if (atomic) { /* the collector would untrack it only later */
            PyObject_GC_UnTrack(targs);
        }
    }
    else {
        Py_INCREF(targs);
    }
    /* While pending, a flight is reachable from the chain and the flights (so
     * never garbage), and a deep recursion holds a million of them: the
     * collector need not walk them again and again (flight_new gives an
     * untracked list). flight_end tracks it again if anyone still holds it. */
    PyObject *flight = flight_new();
    if (flight == NULL) {
        Py_DECREF(targs);
        return NULL;
    }
    Py_INCREF(st);
    set_item(flight, F_OWNER, st);
    set_item(flight, F_STATUS, PyLong_FromLong(S_PENDING));
    set_item(flight, F_ARGS, targs);
    set_item(flight, F_KWARGS, Py_NewRef(empty_kwargs));
    set_item(flight, F_CACHE, Py_NewRef(self->record));
    set_item(flight, F_KEY, Py_NewRef(key));
    /* claim the key */
    PyObject *other = PyDict_SetDefault(self->flights, key, flight); /* borrowed */
    if (other != flight) {
        flight_drop(flight);
        if (other == NULL) {
            return NULL;
        }
        /* in flight: ours (a cycle) or another thread's (wait): Python */
        return PyObject_Vectorcall(self->miss, args, nargsf, NULL);
    }
    /* we own the key: look again (another thread may have stored it since the
     * lookup, if hashing or comparing keys ran Python code: not for a lone
     * int or str key) */
    PyObject *entry = NULL;
    if (!(PyLong_CheckExact(key) || PyUnicode_CheckExact(key))) {
        entry = PyDict_GetItemWithError(self->cache, key);
    }
    if (entry != NULL || PyErr_Occurred()) {
        flight_end(self, key, flight, S_RETRY, Py_None);
        flight_drop(flight);
        if (PyErr_Occurred()) {
            return NULL;
        }
        return PyObject_Vectorcall(self->miss, args, nargsf, NULL); /* counts the hit */
    }
    if (PyList_Append(chain, flight) < 0) {
        flight_end(self, key, flight, S_RETRY, Py_None);
        flight_drop(flight);
        return NULL;
    }
    Py_INCREF(st); /* held across the call: the chain of a thread that ends goes with it */
    Py_INCREF(chain);
    PyObject *value = PyObject_Vectorcall(self->compute, args, nargs, NULL);
    chain_pop(chain);
    if (value == NULL) {
        /* as the Python miss's except clause: release first, C only */
        PyObject *exc = take_error();
        int recursion = PyErr_GivenExceptionMatches(exc, PyExc_RecursionError);
        PyObject *genuine = PyObject_GetAttr(st, str_genuine);
        if (genuine == NULL) {
            PyErr_Clear();
        }
        int known = genuine == exc;
        Py_XDECREF(genuine);
        Py_ssize_t base = recursion && !known ? int_attr(st, str_base) : 0;
        if (base == -1 && PyErr_Occurred()) {
            PyErr_Clear();
            base = depth; /* cannot tell: do not retry */
        }
        if (recursion && !known && depth > base) {
            /* a level costs more than the probe measured: run the body again
             * on a fresh thread, through the Python miss (out of the error) */
            flight_end(self, key, flight, S_RETRY, Py_None);
            flight_drop(flight);
            Py_DECREF(exc);
            PyObject *res = PyObject_CallFunction(hook_shrink, "On", st, depth);
            Py_DECREF(chain);
            Py_DECREF(st);
            if (res == NULL) {
                return NULL;
            }
            Py_DECREF(res);
            return PyObject_Vectorcall(self->miss, args, nargsf, NULL);
        }
        if (recursion && !known) { /* the first call on this thread: no fresh thread helps */
            if (PyObject_SetAttr(st, str_genuine, exc) < 0) {
                PyErr_Clear();
            }
        }
        if (!PyErr_GivenExceptionMatches(exc, PyExc_Exception) || (depth && recursion)) {
            flight_end(self, key, flight, S_RETRY, Py_None);
        }
        else {
            PyObject *tb = PyException_GetTraceback(exc);
            PyObject *pair = PyTuple_Pack(2, exc, tb != NULL ? tb : Py_None);
            Py_XDECREF(tb);
            PyObject *kept = pair ? PyObject_CallOneArg(hook_raised, pair) : NULL;
            Py_XDECREF(pair);
            if (kept == NULL) {
                PyErr_Clear();
                flight_end(self, key, flight, S_RETRY, Py_None);
            }
            else {
                flight_end(self, key, flight, S_ERROR, kept);
                Py_DECREF(kept);
            }
        }
        flight_drop(flight);
        self->misses++;
        if (depth == 0) {
            PyObject *res = PyObject_CallFunctionObjArgs(hook_finish, st, exc, NULL);
            if (res == NULL) {
                PyErr_Clear();
            }
            Py_XDECREF(res);
        }
        Py_DECREF(chain);
        Py_DECREF(st);
        give_error(exc);
        return NULL;
    }
    self->misses++;
    /* an OrderedDict (bounded) keeps its order only through its own setitem */
    int stored = PyDict_CheckExact(self->cache) ? PyDict_SetItem(self->cache, key, value)
                                                : PyObject_SetItem(self->cache, key, value);
    if (stored < 0) {
        PyObject *exc = take_error();
        flight_end(self, key, flight, S_RETRY, Py_None); /* never leave it claimed */
        give_error(exc);
        flight_drop(flight);
        Py_DECREF(value);
        Py_DECREF(chain);
        Py_DECREF(st);
        return NULL;
    }
    if (self->evict != NULL && PyDict_GET_SIZE(self->cache) > self->maxsize) {
        PyObject *res = PyObject_CallNoArgs(self->evict); /* least recently used first */
        if (res == NULL) {
            if (PyErr_ExceptionMatches(PyExc_KeyError)) { /* emptied meanwhile */
                PyErr_Clear();
            }
            else {
                PyObject *exc = take_error();
                flight_end(self, key, flight, S_RETRY, Py_None);
                give_error(exc);
                flight_drop(flight);
                Py_DECREF(value);
                Py_DECREF(chain);
                Py_DECREF(st);
                return NULL;
            }
        }
        Py_XDECREF(res);
    }
    flight_end(self, key, flight, S_VALUE, value);
    flight_drop(flight);
    if (depth == 0) {
        Py_ssize_t now = int_attr(st, str_budget);
        if (now != probe_budget) { /* the outermost call of a deep recursion: forget it */
            PyObject *res = PyErr_Occurred() ? NULL : PyObject_CallMethodNoArgs(st, str_reset);
            if (res == NULL) {
                Py_DECREF(value);
                value = NULL;
            }
            Py_XDECREF(res);
        }
    }
    Py_DECREF(chain);
    Py_DECREF(st);
    return value;
}

static PyObject *
fw_vectorcall(PyObject *op, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    FastWrapper *self = (FastWrapper *)op;
    if (self->cache == NULL) {
        return cleared_error();
    }
    if (!self->enabled || (kwnames != NULL && PyTuple_GET_SIZE(kwnames) != 0)) {
        return PyObject_Vectorcall(self->miss, args, nargsf, kwnames);
    }
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    for (Py_ssize_t i = 0; i < nargs; i++) {
        /* known unhashable: to miss (which freezes it) without two failed hashes */
        PyObject *arg = args[i];
        if (PyList_CheckExact(arg) || PyDict_CheckExact(arg) || PySet_CheckExact(arg)
            || PyByteArray_CheckExact(arg)) {
            return PyObject_Vectorcall(self->miss, args, nargsf, NULL);
        }
    }
    PyObject *key = make_key(args, nargs, self->typed);
    if (key == NULL) {
        return NULL;
    }
    PyObject *value = PyDict_GetItemWithError(self->cache, key); /* borrowed */
    if (value == NULL) {
        int unhashable = 0;
        if (PyErr_Occurred()) {
            if (!(PyErr_ExceptionMatches(PyExc_TypeError) && type_error_is_unhashable(key))) {
                Py_DECREF(key);
                return NULL;
            }
            unhashable = 1;
        }
        PyObject *res = self->compute != NULL && !unhashable
                            ? c_miss(self, key, args, nargsf)
                            : PyObject_Vectorcall(self->miss, args, nargsf, NULL);
        Py_DECREF(key);
        return res;
    }
    Py_INCREF(value); /* before anything can run Python code */
    self->hits++;
    if (self->move_to_end != NULL) {
        PyObject *res = PyObject_CallOneArg(self->move_to_end, key);
        if (res != NULL) {
            Py_DECREF(res);
        }
        else if (PyErr_ExceptionMatches(PyExc_KeyError)) {
            PyErr_Clear();
        }
        else {
            Py_DECREF(value);
            Py_DECREF(key);
            return NULL;
        }
    }
    Py_DECREF(key);
    if (self->ready != NULL) {
        PyObject *ready = ready_new_value(self->ready, value);
        /* (the value's reference was taken above; Ready holds its own) */
        Py_DECREF(value);
        return ready;
    }
    return value;
}

static PyObject *
fw_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"cache", "miss", "typed", "lru", "awaitable", "compute",
                             "flights", "record", "evict", "maxsize", NULL};
    PyObject *cache, *miss, *move_to_end = NULL;
    PyObject *compute = Py_None, *flights = Py_None, *record = Py_None, *evict = Py_None;
    Py_ssize_t maxsize = -1;
    int typed = 0, lru = 0, awaitable = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OO|$pppOOOOn:FastWrapper", kwlist, &cache,
                                     &miss, &typed, &lru, &awaitable, &compute, &flights,
                                     &record, &evict, &maxsize)) {
        return NULL;
    }
    if (compute != Py_None) {
        if (!PyCallable_Check(compute)) {
            raise_invalid("compute", compute, "must be callable");
            return NULL;
        }
        if (!PyDict_CheckExact(flights)) {
            raise_invalid("flights", flights, "must be a dict when compute is given");
            return NULL;
        }
        if (evict != Py_None && !PyCallable_Check(evict)) {
            raise_invalid("evict", evict, "must be callable");
            return NULL;
        }
        if (hook_state == NULL) {
            PyErr_SetString(PyExc_RuntimeError, "dptoolkit._cmemo.setup() was not called");
            return NULL;
        }
    }
    if (!PyDict_Check(cache)) {
        raise_invalid("cache", cache, "must be a dict");
        return NULL;
    }
    if (!PyCallable_Check(miss)) {
        raise_invalid("miss", miss, "must be callable");
        return NULL;
    }
    if (lru) {
        move_to_end = PyObject_GetAttrString(cache, "move_to_end");
        if (move_to_end == NULL || !PyCallable_Check(move_to_end)) {
            Py_XDECREF(move_to_end);
            PyErr_Clear();
            raise_invalid("cache", cache, "must have a move_to_end method when lru=True");
            return NULL;
        }
    }
    FastWrapper *self = (FastWrapper *)type->tp_alloc(type, 0);
    if (self == NULL) {
        Py_XDECREF(move_to_end);
        return NULL;
    }
    self->cache = Py_NewRef(cache);
    self->miss = Py_NewRef(miss);
    self->move_to_end = move_to_end;
    self->dict = NULL;
    self->weakreflist = NULL;
    self->vectorcall = fw_vectorcall;
    self->ready = NULL;
    if (awaitable) {
        self->ready = (PyTypeObject *)Py_NewRef(ready_type);
    }
    self->hits = 0;
    self->enabled = 1;
    self->typed = (char)typed;
    self->compute = compute != Py_None ? Py_NewRef(compute) : NULL;
    self->flights = compute != Py_None ? Py_NewRef(flights) : NULL;
    self->record = compute != Py_None ? Py_NewRef(record) : NULL;
    self->evict = compute != Py_None && evict != Py_None ? Py_NewRef(evict) : NULL;
    self->maxsize = maxsize;
    self->misses = 0;
    return (PyObject *)self;
}

static int
fw_traverse(PyObject *op, visitproc visit, void *arg)
{
    FastWrapper *self = (FastWrapper *)op;
    Py_VISIT(Py_TYPE(op));
    Py_VISIT(self->cache);
    Py_VISIT(self->miss);
    Py_VISIT(self->move_to_end);
    Py_VISIT(self->dict);
    Py_VISIT(self->ready);
    Py_VISIT(self->compute);
    Py_VISIT(self->flights);
    Py_VISIT(self->record);
    Py_VISIT(self->evict);
    return 0;
}

static int
fw_clear(PyObject *op)
{
    FastWrapper *self = (FastWrapper *)op;
    Py_CLEAR(self->cache);
    Py_CLEAR(self->miss);
    Py_CLEAR(self->move_to_end);
    Py_CLEAR(self->dict);
    Py_CLEAR(self->ready);
    Py_CLEAR(self->compute);
    Py_CLEAR(self->flights);
    Py_CLEAR(self->record);
    Py_CLEAR(self->evict);
    return 0;
}

static void
fw_dealloc(PyObject *op)
{
    PyTypeObject *tp = Py_TYPE(op);
    PyObject_GC_UnTrack(op);
    if (((FastWrapper *)op)->weakreflist != NULL) {
        PyObject_ClearWeakRefs(op);
    }
    (void)fw_clear(op);
    tp->tp_free(op);
    Py_DECREF(tp);
}

/* __get__: the wrapper itself from the class; from an instance, _bind(obj)
 * when the instance __dict__ holds a callable _bind, else a bound method. */
static PyObject *
fw_descr_get(PyObject *op, PyObject *obj, PyObject *owner)
{
    (void)owner;
    if (obj == NULL || obj == Py_None) {
        return Py_NewRef(op);
    }
    PyObject *dict = ((FastWrapper *)op)->dict;
    if (dict != NULL) {
        PyObject *bind = PyDict_GetItemWithError(dict, str_bind); /* borrowed */
        if (bind != NULL && PyCallable_Check(bind)) {
            Py_INCREF(bind);
            PyObject *res = PyObject_CallOneArg(bind, obj);
            Py_DECREF(bind);
            return res;
        }
        if (bind == NULL && PyErr_Occurred()) {
            return NULL;
        }
    }
    return PyMethod_New(op, obj);
}

static PyObject *
fw_repr(PyObject *op)
{
    FastWrapper *self = (FastWrapper *)op;
    if (self->dict != NULL) {
        PyObject *name = PyDict_GetItemString(self->dict, "__qualname__"); /* borrowed */
        if (name != NULL && PyUnicode_Check(name)) {
            return PyUnicode_FromFormat("<dptoolkit memoized function %U>", name);
        }
    }
    if (self->miss == NULL) {
        return PyUnicode_FromString("<dptoolkit memoized function (cleared)>");
    }
    return PyUnicode_FromFormat("<dptoolkit memoized function wrapping %R>", self->miss);
}

/* Pickled by reference, like a function: pickle looks the name up in the
 * wrapper's __module__ and checks it finds this very object. */
static PyObject *
fw_reduce(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    return PyObject_GetAttrString(op, "__qualname__");
}

static PyObject *
fw_copy(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    return Py_NewRef(op);
}

static PyObject *
fw_deepcopy(PyObject *op, PyObject *Py_UNUSED(memo))
{
    return Py_NewRef(op);
}

static PyObject *
fw_get_hits(PyObject *op, void *Py_UNUSED(closure))
{
    return PyLong_FromLongLong(((FastWrapper *)op)->hits);
}

static int
fw_set_hits(PyObject *op, PyObject *value, void *Py_UNUSED(closure))
{
    if (value == NULL) {
        PyErr_SetString(PyExc_AttributeError, "cannot delete hits");
        return -1;
    }
    if (!PyLong_Check(value) || PyBool_Check(value)) {
        raise_invalid("hits", value, "must be an integer");
        return -1;
    }
    long long hits = PyLong_AsLongLong(value);
    if (hits == -1 && PyErr_Occurred()) {
        return -1;
    }
    ((FastWrapper *)op)->hits = hits;
    return 0;
}

static PyObject *
fw_get_misses(PyObject *op, void *Py_UNUSED(closure))
{
    return PyLong_FromLongLong(((FastWrapper *)op)->misses);
}

static int
fw_set_misses(PyObject *op, PyObject *value, void *Py_UNUSED(closure))
{
    if (value == NULL) {
        PyErr_SetString(PyExc_AttributeError, "cannot delete misses");
        return -1;
    }
    if (!PyLong_Check(value) || PyBool_Check(value)) {
        raise_invalid("misses", value, "must be an integer");
        return -1;
    }
    long long misses = PyLong_AsLongLong(value);
    if (misses == -1 && PyErr_Occurred()) {
        return -1;
    }
    ((FastWrapper *)op)->misses = misses;
    return 0;
}

static PyObject *
fw_get_enabled(PyObject *op, void *Py_UNUSED(closure))
{
    return PyBool_FromLong(((FastWrapper *)op)->enabled);
}

static int
fw_set_enabled(PyObject *op, PyObject *value, void *Py_UNUSED(closure))
{
    if (value == NULL) {
        PyErr_SetString(PyExc_AttributeError, "cannot delete enabled");
        return -1;
    }
    int truth = PyObject_IsTrue(value);
    if (truth < 0) {
        return -1;
    }
    ((FastWrapper *)op)->enabled = (char)truth;
    return 0;
}

static PyObject *
fw_get_cache(PyObject *op, void *Py_UNUSED(closure))
{
    PyObject *cache = ((FastWrapper *)op)->cache;
    return cache != NULL ? Py_NewRef(cache) : cleared_error();
}

static PyObject *
fw_get_miss(PyObject *op, void *Py_UNUSED(closure))
{
    PyObject *miss = ((FastWrapper *)op)->miss;
    return miss != NULL ? Py_NewRef(miss) : cleared_error();
}

static PyObject *
fw_get_typed(PyObject *op, void *Py_UNUSED(closure))
{
    return PyBool_FromLong(((FastWrapper *)op)->typed);
}

static PyObject *
fw_get_awaitable(PyObject *op, void *Py_UNUSED(closure))
{
    return PyBool_FromLong(((FastWrapper *)op)->ready != NULL);
}

static PyObject *
fw_get_lru(PyObject *op, void *Py_UNUSED(closure))
{
    return PyBool_FromLong(((FastWrapper *)op)->move_to_end != NULL);
}

static PyMethodDef fw_methods[] = {
    {"__reduce__", fw_reduce, METH_NOARGS, "Pickle by reference: return the __qualname__."},
    {"__copy__", fw_copy, METH_NOARGS, "Return the wrapper itself (it is shared state)."},
    {"__deepcopy__", fw_deepcopy, METH_O, "Return the wrapper itself (it is shared state)."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef fw_getset[] = {
    {"hits", fw_get_hits, fw_set_hits, "Hits answered by the hit path (writable).", NULL},
    {"misses", fw_get_misses, fw_set_misses,
     "Values the C miss path computed and stored (writable).", NULL},
    {"enabled", fw_get_enabled, fw_set_enabled,
     "Whether the hit path looks in the cache (when false, every call misses).", NULL},
    {"cache", fw_get_cache, NULL, "The dict the hit path reads.", NULL},
    {"miss", fw_get_miss, NULL, "The callable every unanswered call goes to.", NULL},
    {"typed", fw_get_typed, NULL, "Whether keys include the arguments' types.", NULL},
    {"lru", fw_get_lru, NULL, "Whether a hit moves its key to the end of the cache.", NULL},
    {"awaitable", fw_get_awaitable, NULL, "Whether a hit returns Ready(value) to await.", NULL},
    {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyMemberDef fw_members[] = {
    {"__vectorcalloffset__", Py_T_PYSSIZET, offsetof(FastWrapper, vectorcall), Py_READONLY, NULL},
    {"__dictoffset__", Py_T_PYSSIZET, offsetof(FastWrapper, dict), Py_READONLY, NULL},
    {"__weaklistoffset__", Py_T_PYSSIZET, offsetof(FastWrapper, weakreflist), Py_READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

PyDoc_STRVAR(fw_doc,
"FastWrapper(cache, miss, *, typed=False, lru=False, awaitable=False)\n\
--\n\
\n\
The C hit path of @memoize (see dptoolkit._fastpath and docs/internals.md).\n\
\n\
A call without keyword arguments looks fast_key(args, typed) up in the dict\n\
cache; a hit counts in hits, moves the key to the end when lru, and returns\n\
the value (wrapped in Ready(value) when awaitable). Keyword arguments, enabled=False, an unhashable key or an absent\n\
key call miss(*args, **kwargs) instead.");

static PyType_Slot fw_slots[] = {
    {Py_tp_doc, (void *)fw_doc},
    {Py_tp_new, fw_new},
    {Py_tp_dealloc, fw_dealloc},
    {Py_tp_traverse, fw_traverse},
    {Py_tp_clear, fw_clear},
    {Py_tp_call, PyVectorcall_Call},
    {Py_tp_descr_get, fw_descr_get},
    {Py_tp_repr, fw_repr},
    {Py_tp_methods, fw_methods},
    {Py_tp_getset, fw_getset},
    {Py_tp_members, fw_members},
    {0, NULL},
};

static PyType_Spec fw_spec = {
    .name = "dptoolkit._cmemo.FastWrapper",
    .basicsize = sizeof(FastWrapper),
    .itemsize = 0,
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC
             | Py_TPFLAGS_HAVE_VECTORCALL | Py_TPFLAGS_IMMUTABLETYPE,
    .slots = fw_slots,
};

static int
cmemo_exec(PyObject *module)
{
    if (str_bind == NULL) {
        str_bind = PyUnicode_InternFromString("_bind");
        str_chain = PyUnicode_InternFromString("chain");
        str_budget = PyUnicode_InternFromString("budget");
        str_base = PyUnicode_InternFromString("base");
        str_genuine = PyUnicode_InternFromString("genuine");
        str_reset = PyUnicode_InternFromString("reset");
        str_release = PyUnicode_InternFromString("release");
        empty_kwargs = PyDict_New();
        if (str_bind == NULL || str_chain == NULL || str_budget == NULL || str_base == NULL
            || str_genuine == NULL || str_reset == NULL || str_release == NULL
            || empty_kwargs == NULL) {
            return -1;
        }
    }
    if (ready_type == NULL) {
        ready_type = PyType_FromModuleAndSpec(module, &ready_spec, NULL);
        if (ready_type == NULL) {
            return -1;
        }
    }
    if (PyModule_AddObjectRef(module, "Ready", ready_type) < 0) {
        return -1;
    }
    PyObject *type = PyType_FromModuleAndSpec(module, &fw_spec, NULL);
    if (type == NULL) {
        return -1;
    }
    int rc = PyModule_AddObjectRef(module, "FastWrapper", type);
    Py_DECREF(type);
    return rc;
}

/* fast_key(args, typed=False): make_key from Python, for the agreement test */
static PyObject *
cmemo_fast_key(PyObject *Py_UNUSED(module), PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"args", "typed", NULL};
    PyObject *tuple;
    int typed = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!|p:fast_key", kwlist, &PyTuple_Type, &tuple,
                                     &typed)) {
        return NULL;
    }
    return make_key(&PyTuple_GET_ITEM(tuple, 0), PyTuple_GET_SIZE(tuple), typed);
}

/* setup(state, raised, shrink, finish, probe): the C miss path's hooks */
static PyObject *
cmemo_setup(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *state, *raised, *shrink, *finish;
    Py_ssize_t probe;
    if (!PyArg_ParseTuple(args, "OOOOn:setup", &state, &raised, &shrink, &finish, &probe)) {
        return NULL;
    }
    Py_XSETREF(hook_state, Py_NewRef(state));
    Py_XSETREF(hook_raised, Py_NewRef(raised));
    Py_XSETREF(hook_shrink, Py_NewRef(shrink));
    Py_XSETREF(hook_finish, Py_NewRef(finish));
    Py_CLEAR(cached_state);
    Py_CLEAR(cached_chain);
    probe_budget = probe;
    Py_RETURN_NONE;
}

static PyMethodDef cmemo_methods[] = {
    {"setup", cmemo_setup, METH_VARARGS,
     "setup(state, raised, shrink, finish, probe): the hooks of the C miss path."},
    {"fast_key", (PyCFunction)(void (*)(void))cmemo_fast_key, METH_VARARGS | METH_KEYWORDS,
     "fast_key(args, typed=False): the C hit path's key (mirrors dptoolkit.keys.fast_key)."},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot cmemo_slots[] = {
    {Py_mod_exec, cmemo_exec},
#if PY_VERSION_HEX >= 0x030C0000
    /* str_bind is process-wide: one interpreter only */
    {Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED},
#endif
#ifdef Py_GIL_DISABLED
    /* free-threaded builds are out of scope: keep the GIL */
    {Py_mod_gil, Py_MOD_GIL_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef cmemo_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "dptoolkit._cmemo",
    .m_doc = "The C hit path of dptoolkit's @memoize (see dptoolkit._fastpath).",
    .m_size = 0,
    .m_methods = cmemo_methods,
    .m_slots = cmemo_slots,
};

PyMODINIT_FUNC
PyInit__cmemo(void)
{
    return PyModuleDef_Init(&cmemo_module);
}
