/* dptoolkit._cmemo: the FastWrapper's protocol methods and attributes.
 * Included by _cmemo.c (one translation unit). */

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
