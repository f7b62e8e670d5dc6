/* The channel test of galleys.join_pieces in C: galleys.parted, line for line.
 *
 * Written by hand because no library has this test (is the gap between two runs of a line a
 * column gutter?), and the Python loop over the runs around every gap was a fifth of a
 * page's time. Same arithmetic in the same order, in doubles, so that every verdict is the
 * Python function's (setup.py builds it without floating-point contraction). Optional: without
 * a C compiler galleys runs the Python function; tests/test_layout.py checks that both give
 * the same verdicts on the corpus pages.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct { double x0, x1; } Span;
typedef struct { double x; int step; } Event;
typedef struct { double x0; Py_ssize_t line; } Start;

static int span_cmp(const void *a, const void *b) {  /* (x0, x1) tuples, as sorted() does */
    const Span *p = a, *q = b;
    if (p->x0 != q->x0) return p->x0 < q->x0 ? -1 : 1;
    if (p->x1 != q->x1) return p->x1 < q->x1 ? -1 : 1;
    return 0;
}

static int event_cmp(const void *a, const void *b) {  /* (x, step) tuples */
    const Event *p = a, *q = b;
    if (p->x != q->x) return p->x < q->x ? -1 : 1;
    return (p->step > q->step) - (p->step < q->step);
}

/* bisect.bisect_left / bisect_right over a list of floats */
static int bisect(PyObject *list, double x, int right, Py_ssize_t *out) {
    Py_ssize_t lo = 0, hi = PyList_GET_SIZE(list);
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        double v = PyFloat_AsDouble(PyList_GET_ITEM(list, mid));
        if (v == -1.0 && PyErr_Occurred()) return -1;
        if (right ? x < v : !(v < x)) hi = mid; else lo = mid + 1;
    }
    *out = lo;
    return 0;
}

static double item(PyObject *list, Py_ssize_t k) {
    return PyFloat_AsDouble(PyList_GET_ITEM(list, k));
}

#define GROW(ptr, len, cap, type)                                                   \
    if ((len) == (cap)) {                                                           \
        Py_ssize_t c_ = (cap) ? 2 * (cap) : 64;                                    \
        type *p_ = PyMem_Realloc((ptr), c_ * sizeof(type));                         \
        if (!p_) { PyErr_NoMemory(); goto error; }                                  \
        (ptr) = p_; (cap) = c_;                                                     \
    }

PyDoc_STRVAR(parted_doc,
"parted(bases, starts, ends, sizes, n, lo, hi, size, x0, x1, leading, gutter_em, near_em,\n"
"       window_lines, align_em, aligned_share, stray_share) -> bool\n\n"
"galleys.parted, compiled.");

static PyObject *parted(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 17) {
        PyErr_SetString(PyExc_TypeError, "parted takes 17 arguments");
        return NULL;
    }
    PyObject *bases = args[0], *starts = args[1], *ends = args[2], *sizes = args[3];
    if (!PyList_Check(bases) || !PyList_Check(starts) || !PyList_Check(ends)
            || !PyList_Check(sizes)) {
        PyErr_SetString(PyExc_TypeError, "bases, starts, ends and sizes must be lists");
        return NULL;
    }
    Py_ssize_t n = PyLong_AsSsize_t(args[4]);
    double v[12];
    for (int i = 0; i < 12; i++) v[i] = PyFloat_AsDouble(args[5 + i]);
    if (PyErr_Occurred()) return NULL;
    double lo = v[0], hi = v[1], size = v[2], x0 = v[3], x1 = v[4], leading = v[5];
    double gutter_em = v[6], near_em = v[7], window_lines = v[8], align_em = v[9];
    double aligned_share = v[10], stray_share = v[11];
    Py_ssize_t lines = PyList_GET_SIZE(bases);
    if (n < 0 || n >= lines || PyList_GET_SIZE(starts) != lines
            || PyList_GET_SIZE(ends) != lines || PyList_GET_SIZE(sizes) != lines) {
        PyErr_SetString(PyExc_ValueError, "line n, bases, starts, ends and sizes disagree");
        return NULL;
    }

    Span *spans = NULL;  /* every line's spans, line after line */
    Event *events = NULL;
    Start *runs = NULL;
    unsigned char *edge = NULL, *beyond = NULL;
    Py_ssize_t n_spans = 0, cap_spans = 0, n_events = 0, cap_events = 0;
    Py_ssize_t n_runs = 0, cap_runs = 0, n_ink = 0;
    PyObject *result = NULL;

    double mn = lo < hi ? lo : hi, mx = lo < hi ? hi : lo;
    double need = gutter_em * size;
    double near0 = mn - need, near1 = mx + need;
    double left = mn - near_em * size, right = mx + near_em * size;
    left = x0 > left ? x0 : left;      /* max(x0, ...) */
    right = x1 < right ? x1 : right;   /* min(x1, ...) */
    double reach = window_lines * (leading > size ? leading : size);
    /* Python's max(leading, size) returns leading when they are equal: the same value */
    double q_lo = lo - near_em * size, q_hi = hi + near_em * size;
    double base = item(bases, n);
    Py_ssize_t m_lo, m_hi;
    if (bisect(bases, base - reach, 0, &m_lo) < 0 || bisect(bases, base + reach, 1, &m_hi) < 0)
        return NULL;
    if (m_hi < m_lo) m_hi = m_lo;  /* bases out of order: no line around */
    edge = PyMem_Calloc(m_hi - m_lo + 1, 1);
    beyond = PyMem_Calloc(m_hi - m_lo + 1, 1);
    if (!edge || !beyond) { PyErr_NoMemory(); goto error; }

    for (Py_ssize_t m = m_lo; m < m_hi; m++) {
        if (m == n) continue;
        PyObject *ls = PyList_GET_ITEM(starts, m), *le = PyList_GET_ITEM(ends, m);
        PyObject *lz = PyList_GET_ITEM(sizes, m);
        if (!PyList_Check(ls) || !PyList_Check(le) || !PyList_Check(lz)) {
            PyErr_SetString(PyExc_TypeError, "each line's starts, ends, sizes must be a list");
            goto error;
        }
        Py_ssize_t k;
        if (bisect(ls, q_hi, 1, &k) < 0) goto error;
        k -= 1;
        int inked = 0;
        Py_ssize_t line_first = n_spans;
        while (k >= 0 && item(le, k) > q_lo) {
            double r_x0 = item(ls, k), r_x1 = item(le, k), r_size = item(lz, k);
            k -= 1;
            if (fabs(r_size - size) > 0.2 * size) continue;
            inked = 1;
            GROW(runs, n_runs, cap_runs, Start);
            runs[n_runs].x0 = r_x0;
            runs[n_runs].line = m - m_lo;
            n_runs++;
            if (r_x0 < right && r_x1 > left) {
                GROW(spans, n_spans, cap_spans, Span);
                spans[n_spans].x0 = r_x0 > left ? r_x0 : left;
                spans[n_spans].x1 = r_x1 < right ? r_x1 : right;
                n_spans++;
            }
        }
        if (PyErr_Occurred()) goto error;
        if (!inked) continue;
        n_ink++;
        /* a line counts once wherever its runs overlap */
        Py_ssize_t count = n_spans - line_first;
        qsort(spans + line_first, count, sizeof(Span), span_cmp);
        int reached = 0;
        double reach_x = 0.0;
        for (Py_ssize_t i = line_first; i < n_spans; i++) {
            double s0 = spans[i].x0, s1 = spans[i].x1;
            if (reached && s0 <= reach_x) {
                double far = reach_x >= s1 ? reach_x : s1;   /* max(reach_x, s1) */
                events[n_events - 1].x = far;
                events[n_events - 1].step = -1;
                reach_x = far;
                continue;
            }
            GROW(events, n_events, cap_events, Event);
            events[n_events].x = s0; events[n_events].step = 1; n_events++;
            GROW(events, n_events, cap_events, Event);
            events[n_events].x = s1; events[n_events].step = -1; n_events++;
            reach_x = s1;
            reached = 1;
        }
    }
    if (n_ink == 0) { result = Py_True; goto done; }   /* a lone line: wide gaps part it */
    long allowed = (long)(stray_share * (double)n_ink);
    qsort(events, n_events, sizeof(Event), event_cmp);
    long depth = 0;
    int free = 1;
    double free_from = left;
    double align = align_em * size;
    for (Py_ssize_t i = 0; i < n_events; i++) {
        double x = events[i].x;
        if (free && x - free_from >= need && x > near0 && free_from < near1) {
            Py_ssize_t n_edge = 0, n_beyond = 0;
            memset(edge, 0, m_hi - m_lo + 1);
            memset(beyond, 0, m_hi - m_lo + 1);
            for (Py_ssize_t j = 0; j < n_runs; j++) {
                double s0 = runs[j].x0;
                Py_ssize_t line = runs[j].line;
                if (fabs(s0 - x) <= align && !edge[line]) { edge[line] = 1; n_edge++; }
                if (x - align <= s0 && s0 <= x + near_em * size && !beyond[line]) {
                    beyond[line] = 1;
                    n_beyond++;
                }
            }
            double share = aligned_share * (double)n_beyond;
            if (n_beyond == 0 || (double)n_edge >= (share > 1.0 ? share : 1.0)) {
                result = Py_True;
                goto done;
            }
        }
        depth += events[i].step;
        if (depth > allowed) free = 0;
        else if (!free) { free = 1; free_from = x; }
    }
    result = (free && right - free_from >= need && free_from < near1) ? Py_True : Py_False;
    goto done;
error:
    result = NULL;
done:
    PyMem_Free(spans);
    PyMem_Free(events);
    PyMem_Free(runs);
    PyMem_Free(edge);
    PyMem_Free(beyond);
    Py_XINCREF(result);
    return result;
}

static PyMethodDef methods[] = {
    {"parted", (PyCFunction)(void (*)(void))parted, METH_FASTCALL, parted_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_channels", "galleys' channel test, compiled.", -1, methods,
};

PyMODINIT_FUNC PyInit__channels(void) {
    return PyModule_Create(&module);
}
