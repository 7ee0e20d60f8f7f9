/* C kernels of the sequence problems (alignment, edit distance, DTW, Viterbi).
 *
 * Optional: setup.py builds this extension with optional=True, and every
 * kernel has a numpy or pure-Python twin in dptoolkit.problems (chosen by
 * dptoolkit/problems/_ckernels.py; DPTOOLKIT_PURE_PYTHON=1 forces the twins).
 * Arguments are C-contiguous numpy arrays, read through the buffer protocol;
 * the Python callers check every argument before calling here.
 *
 *   align(ca, cb, table, o, e, mode, trace) -> (score, ei, ej, et, bytes|None, linear)
 *   align_walk(pointers, n, m, mode, ei, ej, et, linear) -> (int32 columns, i0, i1, j0, j1)
 *   levenshtein(ca, cb) -> int                   bit-parallel (Myers/Hyyro), int64 codes
 *   osa_unit(ca, cb) -> int                      bit-parallel OSA (Hyyro 2003), int32 codes
 *   edit_table(ca, cb, k, ins, del, sub, tr, variant, full) -> bytes (float64 rows)
 *   dtw(x, y, band, squared, trace) -> (value, bytes|None)
 *   viterbi(obs, log_start, log_trans, log_emit, trace) -> (value, bytes|None)
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    Py_buffer view;
    int held;
} Buf;

static int get_buf(PyObject *obj, Buf *b, Py_ssize_t itemsize, const char *what)
{
    b->held = 0;
    if (PyObject_GetBuffer(obj, &b->view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
        return -1;
    b->held = 1;
    if (b->view.itemsize != itemsize) {
        PyErr_Format(PyExc_TypeError, "%s: expected items of %zd bytes", what, itemsize);
        PyBuffer_Release(&b->view);
        b->held = 0;
        return -1;
    }
    return 0;
}

static void rel(Buf *b)
{
    if (b->held)
        PyBuffer_Release(&b->view);
    b->held = 0;
}

/* Release the Bufs of a NULL-terminated list (one never held is skipped). */
static void rel_all(Buf *b, ...)
{
    va_list more;
    va_start(more, b);
    for (; b != NULL; b = va_arg(more, Buf *))
        rel(b);
    va_end(more);
}
#define RELEASE(...) rel_all(__VA_ARGS__, (Buf *)NULL)

/* A Buf not yet held: each kernel starts its Bufs so, gets them in one
 * short-circuit chain, and releases them all at its one `done:`. */
#define NO_BUF {.held = 0}

#define LEN(b) ((b).view.len / (b).view.itemsize)
#define NEG (-INFINITY)
/* plain comparisons: fmax/fmin may be library calls (NaN rules), and no value here is NaN */
#define MAX2(p, q) ((p) > (q) ? (p) : (q))
#define MIN2(p, q) ((p) < (q) ? (p) : (q))

/* ------------------------------------------------------------------ alignment */

static PyObject *align(PyObject *self, PyObject *args)
{
    PyObject *oa, *ob, *ot;
    double o, e;
    int mode, trace;
    if (!PyArg_ParseTuple(args, "OOOddip", &oa, &ob, &ot, &o, &e, &mode, &trace))
        return NULL;
    Buf ba = NO_BUF, bb = NO_BUF, bt = NO_BUF;
    PyObject *raw = NULL, *result = NULL;
    uint8_t *ptr = NULL;
    double *rows = NULL;
    if (get_buf(oa, &ba, 4, "ca") < 0 || get_buf(ob, &bb, 4, "cb") < 0
        || get_buf(ot, &bt, 8, "table") < 0)
        goto done;
    const int32_t *ca = ba.view.buf, *cb = bb.view.buf;
    const double *table = bt.view.buf;
    Py_ssize_t n = LEN(ba), m = LEN(bb), k = 1;
    while (k * k < LEN(bt))
        k++;
    int local = mode == 1, free_ends = mode == 2;
    rows = PyMem_Malloc(sizeof(double) * 6 * (size_t)(m + 1));
    if (!rows) {
        PyErr_NoMemory();
        goto done;
    }
    if (trace) {
        raw = PyBytes_FromStringAndSize(NULL, (n + 1) * (m + 1));
        if (!raw)
            goto done;
        ptr = (uint8_t *)PyBytes_AS_STRING(raw);
        ptr[0] = 0; /* every other cell is written below */
    }
    for (Py_ssize_t j = 0; j < 6 * (m + 1); j++)
        rows[j] = NEG;
    int linear = o == e;
    /* linear gaps with back-pointers: p(i, j) in {0 diagonal, 1 up, 2 left} names the table
     * D(i, j) came from, so a cell's three fields are p of its three neighbours */

    double *Mp = rows, *Xp = rows + (m + 1), *Yp = rows + 2 * (m + 1);
    double *Mc = rows + 3 * (m + 1), *Xc = rows + 4 * (m + 1), *Yc = rows + 5 * (m + 1);
    Mp[0] = 0.0;
    Xp[0] = NEG;
    Yp[0] = NEG;
    for (Py_ssize_t j = 1; j <= m; j++) {
        Mp[j] = NEG;
        Xp[j] = NEG;
        Yp[j] = free_ends ? 0.0 : o + (double)(j - 1) * e;
        if (ptr) /* three fields: Y(0, j) extends Y(0, j - 1); linear codes: D came from the left */
            ptr[j] = linear ? 2 : (uint8_t)((j == 1 ? 0 : 2) << 4);
    }
    if (linear) /* row 0 of D = max(M, X, Y) */
        for (Py_ssize_t j = 1; j <= m; j++) {
            Mp[j] = Yp[j];
            Yp[j] = NEG;
        }
    double best = local ? 0.0 : NEG;
    Py_ssize_t ei = -1, ej = -1;
    int et = 0;
#define CONSIDER(val, ii, jj, tt)                                                                  \
    if ((val) > best) {                                                                            \
        best = (val);                                                                              \
        ei = (ii);                                                                                 \
        ej = (jj);                                                                                 \
        et = (tt);                                                                                 \
    }
    if (free_ends && n == 0) {
        for (Py_ssize_t j = 0; j <= m; j++) {
            CONSIDER(Mp[j], 0, j, 0);
            CONSIDER(Xp[j], 0, j, 1);
            CONSIDER(Yp[j], 0, j, 2);
        }
    } else if (free_ends) {
        CONSIDER(Mp[m], 0, m, 0);
        CONSIDER(Xp[m], 0, m, 1);
        CONSIDER(Yp[m], 0, m, 2);
    }
    for (Py_ssize_t i = 1; i <= n; i++) {
        const double *srow = table + (Py_ssize_t)ca[i - 1] * k;
        uint8_t *prow = ptr ? ptr + i * (m + 1) : NULL;
        Mc[0] = NEG;
        Yc[0] = NEG;
        {
            double xm = Mp[0] + o, xx = Xp[0] + e, xy = Yp[0] + o, xv = xm;
            int xk = 0;
            if (xx > xv) { xv = xx; xk = 1; }
            if (xy > xv) { xv = xy; xk = 2; }
            Xc[0] = free_ends ? 0.0 : xv;
            if (prow)
                prow[0] = (uint8_t)(xk << 2);
        }
        if (linear && prow) {
            /* linear gaps with back-pointers: one code per cell, p = k | fresh << 2, where
             * k in {0 diagonal, 1 up, 2 left} is the table D(i, j) came from and fresh
             * says M(i, j) starts a local alignment; the walk reads neighbours' codes */
            double *Dp = Mp, *Dc = Mc, left = Xc[0];
            Dc[0] = left;
            Xc[0] = NEG;
            prow[0] = 1;
            for (Py_ssize_t j = 1; j <= m; j++) {
                /* the score loop's chain (left -> v -> left) stays max-only; the code is
                 * read off the values with 0/1 arithmetic, off that chain, with no branches
                 * (ties: diagonal, then up, then left) */
                double d = Dp[j - 1];
                int fresh = local & (d <= 0.0);
                if (local)
                    d = MAX2(d, 0.0);
                double mv = srow[cb[j - 1]] + d;
                double up = Dp[j] + e;
                left += e;
                double v = MAX2(mv, up);
                v = MAX2(v, left);
                Dc[j] = v;
                left = v;
                int not_diag = mv != v, not_up = up != v;
                prow[j] = (uint8_t)((not_diag + (not_diag & not_up)) | (fresh << 2));
                if (local && mv > best) {
                    best = mv;
                    ei = i;
                    ej = j;
                    et = 0;
                }
            }
        } else if (linear) {
            /* linear gaps, score only: one table D = max(M, X, Y) kept in M (X, Y stay -inf) */
            double *Dp = Mp, *Dc = Mc, left = Xc[0];
            Dc[0] = left;
            Xc[0] = NEG;
            for (Py_ssize_t j = 1; j <= m; j++) {
                double d = Dp[j - 1];
                if (local)
                    d = MAX2(d, 0.0);
                double mv = srow[cb[j - 1]] + d;
                double up = Dp[j] + e;
                left += e;
                double v = MAX2(mv, up);
                v = MAX2(v, left);
                Dc[j] = v;
                left = v;
                if (local && mv > best) {
                    best = mv;
                    ei = i;
                    ej = j;
                    et = 0;
                }
            }
        } else if (!prow) {
            double ml = Mc[0], xl = Xc[0], yl = Yc[0];
            for (Py_ssize_t j = 1; j <= m; j++) {
                double d = MAX2(Mp[j - 1], Xp[j - 1]);
                d = MAX2(d, Yp[j - 1]);
                if (local)
                    d = MAX2(d, 0.0);
                double mv = srow[cb[j - 1]] + d;
                double xv = MAX2(Mp[j], Yp[j]) + o;
                xv = MAX2(xv, Xp[j] + e);
                double yv = MAX2(ml, xl) + o;
                yv = MAX2(yv, yl + e);
                Mc[j] = mv;
                Xc[j] = xv;
                Yc[j] = yv;
                ml = mv;
                xl = xv;
                yl = yv;
                if (local && mv > best) {
                    best = mv;
                    ei = i;
                    ej = j;
                    et = 0;
                }
            }
        } else {
            for (Py_ssize_t j = 1; j <= m; j++) {
                double s = srow[cb[j - 1]];
                double dv;
                int dk;
                if (local) {
                    dv = 0.0;
                    dk = 3;
                    if (Mp[j - 1] > dv) { dv = Mp[j - 1]; dk = 0; }
                } else {
                    dv = Mp[j - 1];
                    dk = 0;
                }
                if (Xp[j - 1] > dv) { dv = Xp[j - 1]; dk = 1; }
                if (Yp[j - 1] > dv) { dv = Yp[j - 1]; dk = 2; }
                double mv = s + dv;
                double xv = Mp[j] + o;
                int xk = 0;
                if (Xp[j] + e > xv) { xv = Xp[j] + e; xk = 1; }
                if (Yp[j] + o > xv) { xv = Yp[j] + o; xk = 2; }
                double yv = Mc[j - 1] + o;
                int yk = 0;
                if (Yc[j - 1] + e > yv) { yv = Yc[j - 1] + e; yk = 2; }
                if (Xc[j - 1] + o > yv) { yv = Xc[j - 1] + o; yk = 1; }
                Mc[j] = mv;
                Xc[j] = xv;
                Yc[j] = yv;
                prow[j] = (uint8_t)(dk | (xk << 2) | (yk << 4));
                if (local && mv > best) {
                    best = mv;
                    ei = i;
                    ej = j;
                    et = 0;
                }
            }
        }
        if (free_ends) {
            if (i == n) {
                for (Py_ssize_t j = 0; j <= m; j++) {
                    CONSIDER(Mc[j], i, j, 0);
                    CONSIDER(Xc[j], i, j, 1);
                    CONSIDER(Yc[j], i, j, 2);
                }
            } else {
                CONSIDER(Mc[m], i, m, 0);
                CONSIDER(Xc[m], i, m, 1);
                CONSIDER(Yc[m], i, m, 2);
            }
        }
        double *t;
        t = Mp; Mp = Mc; Mc = t;
        t = Xp; Xp = Xc; Xc = t;
        t = Yp; Yp = Yc; Yc = t;
    }
    if (mode == 0) {
        best = Mp[m];
        et = 0;
        if (Xp[m] > best) { best = Xp[m]; et = 1; }
        if (Yp[m] > best) { best = Yp[m]; et = 2; }
        ei = n;
        ej = m;
    }
    if (linear && trace && mode != 1 && ei >= 0) /* the walk enters the table D came from */
        et = ptr[ei * (m + 1) + ej] & 3;
#undef CONSIDER
    result = Py_BuildValue("(dnniOi)", best, ei, ej, et, raw ? raw : Py_None, linear && trace);
done:
    Py_XDECREF(raw);
    PyMem_Free(rows);
    RELEASE(&ba, &bb, &bt);
    return result;
}

/* The walk back from the end cell through the three tables, as problems/alignment.py's
 * _walk does over the engine's choices: columns (i, j) in order, -1 for a gap. */
static int align_label(const uint8_t *p, Py_ssize_t w, int linear, Py_ssize_t i, Py_ssize_t j, int t)
{
    if (linear) {
        if (t == 0)
            return (p[i * w + j] & 4) ? 3 : p[(i - 1) * w + j - 1] & 3;
        return (t == 1 ? p[(i - 1) * w + j] : p[i * w + j - 1]) & 3;
    }
    return (p[i * w + j] >> (2 * t)) & 3;
}

static PyObject *align_walk(PyObject *self, PyObject *args)
{
    PyObject *oraw;
    Py_ssize_t n, m, i, j;
    int mode, t, linear;
    if (!PyArg_ParseTuple(args, "Snninnip", &oraw, &n, &m, &mode, &i, &j, &t, &linear))
        return NULL;
    const uint8_t *p = (const uint8_t *)PyBytes_AS_STRING(oraw);
    Py_ssize_t w = m + 1, cap = n + m + 1, len = 0;
    int32_t *cols = PyMem_Malloc(sizeof(int32_t) * 2 * (size_t)cap);
    if (!cols)
        return PyErr_NoMemory();
#define PUSH(ci, cj)                                                                               \
    do {                                                                                           \
        cols[2 * len] = (int32_t)(ci);                                                             \
        cols[2 * len + 1] = (int32_t)(cj);                                                         \
        len++;                                                                                     \
    } while (0)
    int semi = mode == 2;
    Py_ssize_t end_i = i, end_j = j, si = 0, sj = 0;
    if (semi) {
        for (Py_ssize_t q = n - 1; q >= i; q--)
            PUSH(q, -1);
        for (Py_ssize_t q = m - 1; q >= j; q--)
            PUSH(-1, q);
    }
    while (i || j) {
        if (t == 0) {
            int lab = align_label(p, w, linear, i, j, 0);
            i--;
            j--;
            PUSH(i, j);
            if (lab == 3)
                break;
            t = lab;
        } else if (t == 1) {
            if (j == 0 && semi) {
                si = i;
                for (Py_ssize_t q = i - 1; q >= 0; q--)
                    PUSH(q, -1);
                break;
            }
            t = align_label(p, w, linear, i, j, 1);
            i--;
            PUSH(i, -1);
        } else {
            if (i == 0 && semi) {
                sj = j;
                for (Py_ssize_t q = j - 1; q >= 0; q--)
                    PUSH(-1, q);
                break;
            }
            t = align_label(p, w, linear, i, j, 2);
            j--;
            PUSH(-1, j);
        }
    }
#undef PUSH
    if (mode == 1) {
        si = i;
        sj = j;
    }
    for (Py_ssize_t lo = 0, hi = len - 1; lo < hi; lo++, hi--) {
        int32_t a0 = cols[2 * lo], a1 = cols[2 * lo + 1];
        cols[2 * lo] = cols[2 * hi];
        cols[2 * lo + 1] = cols[2 * hi + 1];
        cols[2 * hi] = a0;
        cols[2 * hi + 1] = a1;
    }
    PyObject *out = PyBytes_FromStringAndSize((const char *)cols, (Py_ssize_t)sizeof(int32_t) * 2 * len);
    PyMem_Free(cols);
    if (!out)
        return NULL;
    return Py_BuildValue("(Nnnnn)", out, si, end_i, sj, end_j);
}

/* ------------------------------------------------------------------ bit-parallel edit distance */

/* Match masks of the pattern: distinct symbols -> rows of `words` 64-bit words.
 * An open-addressing table maps a symbol code to its row; a text symbol not in the
 * pattern gets the all-zero row `nsym`. */
typedef struct {
    int64_t *keys;
    int32_t *rows;
    size_t cap;
    uint64_t *peq;
    Py_ssize_t words, nsym;
} Masks;

static size_t slot(const Masks *mk, int64_t key)
{
    size_t h = (size_t)((uint64_t)key * 0x9E3779B97F4A7C15ull) & (mk->cap - 1);
    while (mk->rows[h] >= 0 && mk->keys[h] != key)
        h = (h + 1) & (mk->cap - 1);
    return h;
}

static int masks_build(Masks *mk, const int64_t *pat, Py_ssize_t m)
{
    mk->words = (m + 63) / 64;
    mk->cap = 16;
    while (mk->cap < (size_t)(2 * m + 2))
        mk->cap <<= 1;
    mk->keys = PyMem_Malloc(sizeof(int64_t) * mk->cap);
    mk->rows = PyMem_Malloc(sizeof(int32_t) * mk->cap);
    mk->peq = NULL;
    if (!mk->keys || !mk->rows)
        return -1;
    for (size_t h = 0; h < mk->cap; h++)
        mk->rows[h] = -1;
    mk->nsym = 0;
    for (Py_ssize_t j = 0; j < m; j++) {
        size_t h = slot(mk, pat[j]);
        if (mk->rows[h] < 0) {
            mk->keys[h] = pat[j];
            mk->rows[h] = (int32_t)mk->nsym++;
        }
    }
    mk->peq = PyMem_Calloc((size_t)((mk->nsym + 1) * mk->words), sizeof(uint64_t));
    if (!mk->peq)
        return -1;
    for (Py_ssize_t j = 0; j < m; j++) {
        Py_ssize_t r = mk->rows[slot(mk, pat[j])];
        mk->peq[r * mk->words + j / 64] |= 1ull << (j % 64);
    }
    return 0;
}

static const uint64_t *masks_row(const Masks *mk, int64_t key)
{
    size_t h = slot(mk, key);
    Py_ssize_t r = mk->rows[h] >= 0 ? mk->rows[h] : mk->nsym;
    return mk->peq + r * mk->words;
}

static void masks_free(Masks *mk)
{
    PyMem_Free(mk->keys);
    PyMem_Free(mk->rows);
    PyMem_Free(mk->peq);
}

/* One big-integer column step of Hyyro's formulation, simulated word by word
 * (addition carry and the one-bit shifts cross words exactly as in one integer).
 * With osa, the transposition term TR = ((~D0_prev & PM) << 1) & PM_prev joins D0. */
static Py_ssize_t bitpar(const int64_t *text, Py_ssize_t n, const int64_t *pat, Py_ssize_t m, int osa)
{
    if (m == 0)
        return n;
    if (n == 0)
        return m;
    Masks mk;
    if (masks_build(&mk, pat, m) < 0) {
        masks_free(&mk);
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t W = mk.words;
    uint64_t *VP = PyMem_Malloc(sizeof(uint64_t) * W * 3);
    if (!VP) {
        masks_free(&mk);
        PyErr_NoMemory();
        return -1;
    }
    uint64_t *VN = VP + W, *D0 = VP + 2 * W;
    for (Py_ssize_t w = 0; w < W; w++) {
        VP[w] = ~0ull;
        VN[w] = 0;
        D0[w] = 0;
    }
    const uint64_t *old = NULL;
    uint64_t last = 1ull << ((m - 1) % 64);
    Py_ssize_t dist = m;
    for (Py_ssize_t i = 0; i < n; i++) {
        const uint64_t *PM = masks_row(&mk, text[i]);
        uint64_t carry = 0, hp_carry = 1, hn_carry = 0, tr_carry = 0;
        for (Py_ssize_t w = 0; w < W; w++) {
            uint64_t pm = PM[w], vp = VP[w], vn = VN[w];
            uint64_t x = pm | vn;
            uint64_t tr = 0;
            if (osa) {
                uint64_t nd = (~D0[w]) & pm;
                if (old)
                    tr = ((nd << 1) | tr_carry) & old[w];
                tr_carry = nd >> 63;
            }
            uint64_t t = pm & vp;
            uint64_t s = t + vp;
            uint64_t c1 = s < t;
            uint64_t s2 = s + carry;
            uint64_t c2 = s2 < s;
            carry = c1 | c2;
            uint64_t d0 = (s2 ^ vp) | x | tr;
            uint64_t hp = vn | ~(d0 | vp);
            uint64_t hn = vp & d0;
            if (w == W - 1) {
                if (hp & last)
                    dist++;
                if (hn & last)
                    dist--;
            }
            uint64_t nhp = hp >> 63, nhn = hn >> 63;
            hp = (hp << 1) | hp_carry;
            hn = (hn << 1) | hn_carry;
            hp_carry = nhp;
            hn_carry = nhn;
            VP[w] = hn | ~(d0 | hp);
            VN[w] = hp & d0;
            D0[w] = d0;
        }
        old = PM;
    }
    PyMem_Free(VP);
    masks_free(&mk);
    return dist;
}

static PyObject *bitpar_entry(PyObject *args, int osa)
{
    PyObject *oa, *ob;
    if (!PyArg_ParseTuple(args, "OO", &oa, &ob))
        return NULL;
    Buf ba = NO_BUF, bb = NO_BUF;
    Py_ssize_t isz = osa ? 4 : 8, d = -1;
    int64_t *ta = NULL, *tb = NULL;
    if (get_buf(oa, &ba, isz, "ca") < 0 || get_buf(ob, &bb, isz, "cb") < 0)
        goto done;
    Py_ssize_t n = LEN(ba), m = LEN(bb);
    if (osa) { /* widen int32 codes */
        ta = PyMem_Malloc(sizeof(int64_t) * (n + 1));
        tb = PyMem_Malloc(sizeof(int64_t) * (m + 1));
        if (!ta || !tb) {
            PyErr_NoMemory();
            goto done;
        }
        for (Py_ssize_t i = 0; i < n; i++)
            ta[i] = ((int32_t *)ba.view.buf)[i];
        for (Py_ssize_t j = 0; j < m; j++)
            tb[j] = ((int32_t *)bb.view.buf)[j];
    }
    const int64_t *A = osa ? ta : ba.view.buf, *B = osa ? tb : bb.view.buf;
    /* the pattern (bits) is the shorter sequence; both distances are symmetric */
    if (m <= n || m == 0)
        d = bitpar(A, n, B, m, osa);
    else
        d = bitpar(B, m, A, n, osa);
done:
    PyMem_Free(ta);
    PyMem_Free(tb);
    RELEASE(&ba, &bb);
    if (d < 0)
        return NULL;
    return PyLong_FromSsize_t(d);
}

static PyObject *levenshtein(PyObject *self, PyObject *args) { return bitpar_entry(args, 0); }
static PyObject *osa_unit(PyObject *self, PyObject *args) { return bitpar_entry(args, 1); }

/* ------------------------------------------------------------------ weighted edit tables */

static PyObject *edit_table(PyObject *self, PyObject *args)
{
    PyObject *oa, *ob;
    Py_ssize_t k;
    double ins, del, sub, tr;
    int variant, full;
    if (!PyArg_ParseTuple(args, "OOnddddip", &oa, &ob, &k, &ins, &del, &sub, &tr, &variant, &full))
        return NULL;
    Buf ba = NO_BUF, bb = NO_BUF;
    PyObject *out = NULL;
    double *D = NULL;
    Py_ssize_t *last_row = NULL;
    if (get_buf(oa, &ba, 4, "ca") < 0 || get_buf(ob, &bb, 4, "cb") < 0)
        goto done;
    const int32_t *a = ba.view.buf, *b = bb.view.buf;
    Py_ssize_t n = LEN(ba), m = LEN(bb), w = m + 1;
    int keep = full || variant == 2; /* damerau reads any earlier row */
    Py_ssize_t nrows = keep ? n + 1 : 3;
    D = PyMem_Malloc(sizeof(double) * (size_t)(nrows * w));
    last_row = variant == 2 ? PyMem_Calloc((size_t)(k + 1), sizeof(Py_ssize_t)) : NULL;
    if (!D || (variant == 2 && !last_row)) {
        PyErr_NoMemory();
        goto done;
    }
#define ROW(i) (D + (keep ? (i) : (i) % 3) * w)
    for (Py_ssize_t j = 0; j <= m; j++)
        ROW(0)[j] = j * ins;
    for (Py_ssize_t i = 1; i <= n; i++) {
        double *cur = ROW(i), *prev = ROW(i - 1);
        int32_t x = a[i - 1];
        cur[0] = i * del;
        Py_ssize_t l = 0; /* damerau: last column before j holding a[i-1] */
        for (Py_ssize_t j = 1; j <= m; j++) {
            int same = x == b[j - 1];
            double v = prev[j - 1] + (same ? 0.0 : sub);
            double u = prev[j] + del;
            if (u < v) v = u;
            u = cur[j - 1] + ins;
            if (u < v) v = u;
            if (!same) {
                if (variant == 1 && i > 1 && j > 1 && x == b[j - 2] && a[i - 2] == b[j - 1]) {
                    u = ROW(i - 2)[j - 2] + tr;
                    if (u < v) v = u;
                } else if (variant == 2) {
                    Py_ssize_t kk = last_row[b[j - 1]];
                    if (kk && l) {
                        u = D[(kk - 1) * w + (l - 1)] + (i - kk - 1) * del + tr + (j - l - 1) * ins;
                        if (u < v) v = u;
                    }
                }
            } else if (variant == 2) {
                l = j;
            }
            cur[j] = v;
        }
        if (variant == 2)
            last_row[x] = i;
    }
    if (full)
        out = PyBytes_FromStringAndSize((const char *)D, (Py_ssize_t)sizeof(double) * (n + 1) * w);
    else
        out = PyBytes_FromStringAndSize((const char *)ROW(n), (Py_ssize_t)sizeof(double) * w);
#undef ROW
done:
    PyMem_Free(D);
    PyMem_Free(last_row);
    RELEASE(&ba, &bb);
    return out;
}

/* ------------------------------------------------------------------ DTW */

static PyObject *dtw(PyObject *self, PyObject *args)
{
    PyObject *ox, *oy;
    Py_ssize_t band;
    int squared, trace;
    if (!PyArg_ParseTuple(args, "OOnpp", &ox, &oy, &band, &squared, &trace))
        return NULL;
    Buf bx = NO_BUF, by = NO_BUF;
    PyObject *raw = NULL, *result = NULL;
    int8_t *mv = NULL;
    double *block = NULL;
    if (get_buf(ox, &bx, 8, "x") < 0 || get_buf(oy, &by, 8, "y") < 0)
        goto done;
    Py_ssize_t d = bx.view.ndim == 2 ? bx.view.shape[1] : 1;
    Py_ssize_t n = LEN(bx) / d, m = LEN(by) / d;
    const double *x = bx.view.buf, *y = by.view.buf;
    double *prev = block = PyMem_Malloc(sizeof(double) * 2 * (size_t)m);
    if (!block) {
        PyErr_NoMemory();
        goto done;
    }
    if (trace) {
        raw = PyBytes_FromStringAndSize(NULL, n * m);
        if (!raw)
            goto done;
        mv = (int8_t *)PyBytes_AS_STRING(raw);
        memset(mv, 0, (size_t)(n * m));
    }
    double *cur = prev + m;
    for (Py_ssize_t j = 0; j < m; j++)
        prev[j] = INFINITY;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t lo = 0, hi = m;
        if (band >= 0) {
            lo = i - band > 0 ? i - band : 0;
            hi = i + band + 1 < m ? i + band + 1 : m;
        }
        for (Py_ssize_t j = 0; j < m; j++)
            if (j < lo || j >= hi)
                cur[j] = INFINITY;
        const double *xi = x + i * d;
        for (Py_ssize_t j = lo; j < hi; j++) {
            double c;
            if (d == 1) {
                double diff = xi[0] - y[j];
                c = squared ? diff * diff : fabs(diff);
            } else {
                const double *yj = y + j * d;
                c = 0.0;
                for (Py_ssize_t q = 0; q < d; q++) {
                    double diff = xi[q] - yj[q];
                    c += squared ? diff * diff : fabs(diff);
                }
            }
            double best;
            int k = 0;
            if (i == 0 && j == 0) {
                best = 0.0;
            } else {
                double dg = (i && j) ? prev[j - 1] : INFINITY;
                double up = i ? prev[j] : INFINITY;
                double left = j ? cur[j - 1] : INFINITY;
                if (mv) {
                    best = dg;
                    if (up < best) { best = up; k = 1; }
                    if (left < best) { best = left; k = 2; }
                } else {
                    best = MIN2(dg, up);
                    best = MIN2(best, left);
                }
            }
            cur[j] = c + best;
            if (mv)
                mv[i * m + j] = (int8_t)k;
        }
        double *t = prev;
        prev = cur;
        cur = t;
    }
    result = Py_BuildValue("(dO)", prev[m - 1], raw ? raw : Py_None);
done:
    PyMem_Free(block);
    Py_XDECREF(raw);
    RELEASE(&bx, &by);
    return result;
}

/* ------------------------------------------------------------------ Viterbi */

static PyObject *viterbi(PyObject *self, PyObject *args)
{
    PyObject *oo, *os, *ot, *oe;
    int trace;
    if (!PyArg_ParseTuple(args, "OOOOp", &oo, &os, &ot, &oe, &trace))
        return NULL;
    Buf bo = NO_BUF, bs = NO_BUF, bt = NO_BUF, be = NO_BUF;
    PyObject *raw = NULL, *result = NULL;
    int32_t *back = NULL;
    double *v = NULL, *ltT = NULL;
    if (get_buf(oo, &bo, 8, "obs") < 0 || get_buf(os, &bs, 8, "log_start") < 0
        || get_buf(ot, &bt, 8, "log_trans") < 0 || get_buf(oe, &be, 8, "log_emit") < 0)
        goto done;
    const int64_t *obs = bo.view.buf;
    const double *ls = bs.view.buf, *lt = bt.view.buf, *le = be.view.buf;
    Py_ssize_t T = LEN(bo), S = LEN(bs), K = LEN(be) / (S ? S : 1);
    v = PyMem_Malloc(sizeof(double) * 2 * (size_t)S);
    ltT = PyMem_Malloc(sizeof(double) * (size_t)(S * S)); /* transposed: [s][r] */
    if (!v || !ltT) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t r = 0; r < S; r++)
        for (Py_ssize_t s = 0; s < S; s++)
            ltT[s * S + r] = lt[r * S + s];
    if (trace) {
        raw = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)sizeof(int32_t) * T);
        back = PyMem_Malloc(sizeof(int32_t) * (size_t)(T * S));
        if (!raw || !back) {
            if (raw && !back)
                PyErr_NoMemory();
            goto done;
        }
    }
    double *cur = v, *nxt = v + S;
    for (Py_ssize_t s = 0; s < S; s++)
        cur[s] = ls[s] + le[s * K + obs[0]];
    for (Py_ssize_t t = 1; t < T; t++) {
        int64_t o = obs[t];
        for (Py_ssize_t s = 0; s < S; s++) {
            const double *col = ltT + s * S;
            double best = cur[0] + col[0];
            int32_t arg = 0;
            for (Py_ssize_t r = 1; r < S; r++) {
                double c = cur[r] + col[r];
                if (c > best) {
                    best = c;
                    arg = (int32_t)r;
                }
            }
            nxt[s] = best + le[s * K + o];
            if (back)
                back[t * S + s] = arg;
        }
        double *tmp = cur;
        cur = nxt;
        nxt = tmp;
    }
    double best = cur[0];
    int32_t arg = 0;
    for (Py_ssize_t s = 1; s < S; s++)
        if (cur[s] > best) {
            best = cur[s];
            arg = (int32_t)s;
        }
    if (back) {
        int32_t *path = (int32_t *)PyBytes_AS_STRING(raw);
        path[T - 1] = arg;
        for (Py_ssize_t t = T - 1; t > 0; t--)
            path[t - 1] = back[t * S + path[t]];
    }
    result = Py_BuildValue("(dO)", best, raw ? raw : Py_None);
done:
    PyMem_Free(v);
    PyMem_Free(ltT);
    PyMem_Free(back);
    Py_XDECREF(raw);
    RELEASE(&bo, &bs, &bt, &be);
    return result;
}

static PyMethodDef methods[] = {
    {"align", align, METH_VARARGS, "Gotoh alignment rows: (score, ei, ej, et, pointers or None)."},
    {"align_walk", align_walk, METH_VARARGS, "Columns of the walk back: (int32 pairs, i0, i1, j0, j1)."},
    {"levenshtein", levenshtein, METH_VARARGS, "Unit-cost Levenshtein distance, bit-parallel."},
    {"osa_unit", osa_unit, METH_VARARGS, "Unit-cost OSA distance, bit-parallel."},
    {"edit_table", edit_table, METH_VARARGS, "Weighted edit-distance table (bytes of float64)."},
    {"dtw", dtw, METH_VARARGS, "DTW value and move codes: (value, moves or None)."},
    {"viterbi", viterbi, METH_VARARGS, "Viterbi in log space: (value, int32 path or None)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "dptoolkit._ckernels",
    "C kernels of the sequence problems (optional; see dptoolkit/problems/_ckernels.py).", -1,
    methods,
};

PyMODINIT_FUNC PyInit__ckernels(void) { return PyModule_Create(&module); }
