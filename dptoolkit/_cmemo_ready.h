/* dptoolkit._cmemo: the Ready type. Included by _cmemo.c (one translation unit). */

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
