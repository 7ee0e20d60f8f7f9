/*
 * dptoolkit._cmemo: the C hit path of @memoize (and, in _cmemo_miss.h, its
 * C miss path; _cmemo_ready.h holds the Ready type, _cmemo_attrs.h the
 * wrapper's attributes: one translation unit, included below).
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

/* The Ready type (a finished coroutine) and the C miss path: one translation
 * unit, in three files. */
#include "_cmemo_ready.h"
#include "_cmemo_miss.h"


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


static PyObject *
cleared_error(void)
{
    PyErr_SetString(PyExc_ReferenceError, "this memoized function has been cleared");
    return NULL;
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

/* __get__, repr, pickling, copying and the attributes (one translation unit) */
#include "_cmemo_attrs.h"

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
