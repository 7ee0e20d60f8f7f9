/* dptoolkit._cmemo: the C miss path. Included by _cmemo.c after the
 * FastWrapper struct (one translation unit). */

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
    /* list.pop() without the call: shrinking the size keeps the list valid
     * (its allocation only has spare room) */
    Py_ssize_t n = PyList_GET_SIZE(chain);
    if (n > 0) {
        PyObject *item = PyList_GET_ITEM(chain, n - 1);
        Py_SET_SIZE(chain, n - 1);
        Py_DECREF(item);
    }
}

/* ThreadState.budget, read through its slot when the state is exactly the
 * class setup() was given (else by attribute). -1 with an error set on
 * failure. */
static Py_ssize_t budget_slot = -1;
static PyTypeObject *state_type = NULL;

static Py_ssize_t
read_budget(PyObject *st)
{
    if (Py_TYPE(st) == state_type && budget_slot >= 0) {
        PyObject *v = *(PyObject **)((char *)st + budget_slot);
        if (v != NULL && PyLong_CheckExact(v)) {
            return PyLong_AsSsize_t(v);
        }
    }
    return int_attr(st, str_budget);
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
    Py_ssize_t budget = read_budget(st);
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
        Py_ssize_t now = read_budget(st);
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

/* setup(state, raised, shrink, finish, probe[, ThreadState]): the C miss path's hooks */
static PyObject *
cmemo_setup(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *state, *raised, *shrink, *finish, *cls = NULL;
    Py_ssize_t probe;
    if (!PyArg_ParseTuple(args, "OOOOn|O:setup", &state, &raised, &shrink, &finish, &probe,
                          &cls)) {
        return NULL;
    }
    /* the offset of ThreadState.budget, a __slots__ member (an object slot) */
    budget_slot = -1;
    Py_CLEAR(state_type);
    if (cls != NULL && PyType_Check(cls)) {
        PyObject *descr = PyObject_GetAttr(cls, str_budget);
        if (descr == NULL) {
            PyErr_Clear();
        }
        else {
            if (Py_IS_TYPE(descr, &PyMemberDescr_Type)) {
                PyMemberDef *member = ((PyMemberDescrObject *)descr)->d_member;
                if (member->type == Py_T_OBJECT_EX) {
                    budget_slot = member->offset;
                    state_type = (PyTypeObject *)Py_NewRef(cls);
                }
            }
            Py_DECREF(descr);
        }
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
