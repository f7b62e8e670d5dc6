/* The glyph loop of pdfium_source in C: pdfium_source.read_glyphs, line for line.
 *
 * Written by hand because no library reads pdfium's glyphs in bulk, and this loop (a ctypes
 * call and a dozen bytecodes a glyph) was a quarter of a page's time. It calls pdfium's own
 * functions, from the library pypdfium2 loaded (their addresses come from ctypes), so it
 * links to nothing; it builds the same Char objects. Optional (setup.py): without a C
 * compiler pdfium_source runs the Python loop, and tests/test_extract.py checks that both
 * give the same glyphs.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

typedef struct { float left, top, right, bottom; } Rect;  /* FS_RECTF */
typedef struct { float a, b, c, d, e, f; } Matrix;        /* FS_MATRIX */

typedef void *(*GetTextObject)(void *page, int index);
typedef int (*GetLooseCharBox)(void *page, int index, Rect *rect);
typedef int (*IsGenerated)(void *page, int index);
typedef int (*GetMatrix)(void *page, int index, Matrix *matrix);
typedef double (*GetFontSize)(void *page, int index);
typedef unsigned long (*GetFontInfo)(void *page, int index, void *buffer, unsigned long size,
                                     int *flags);

#define FUNCTIONS 6
#define NAME_SIZE 256

static PyObject *hypot_func;  /* math.hypot: its rounding, not libm's */

static int special(Py_UCS4 ch) {  /* pdfium_source._SPECIAL */
    return ch < 32 || ch == ' ' || ch == 0xfffd || ch == 0xfffe;
}

static PyObject *font_name(PyObject *fonts, PyObject *decode, const char *name) {
    PyObject *key = PyBytes_FromStringAndSize(name, strnlen(name, NAME_SIZE));
    if (!key) return NULL;
    PyObject *font = PyDict_GetItemWithError(fonts, key);  /* borrowed */
    if (font) {
        Py_DECREF(key);
        return font;
    }
    if (PyErr_Occurred() || !(font = PyObject_CallOneArg(decode, key)) ||
        PyDict_SetItem(fonts, key, font) < 0) {
        Py_DECREF(key);
        Py_XDECREF(font);
        return NULL;
    }
    Py_DECREF(key);
    Py_DECREF(font);  /* the dict holds it */
    return font;
}

static PyObject *new_char(PyObject *char_type, PyObject *text, double x0, double x1,
                          double base, PyObject *size, PyObject *font, int sp) {
    PyObject *args[7] = {text, PyFloat_FromDouble(x0), PyFloat_FromDouble(x1),
                         PyFloat_FromDouble(base), size, font, PyLong_FromLong(sp)};
    PyObject *c = NULL;
    if (args[1] && args[2] && args[3] && args[6])
        c = PyObject_Vectorcall(char_type, args, 7, NULL);
    Py_XDECREF(args[1]);
    Py_XDECREF(args[2]);
    Py_XDECREF(args[3]);
    Py_XDECREF(args[6]);
    return c;
}

PyDoc_STRVAR(read_glyphs_doc,
"read_glyphs(textpage, text, height, chars, char_type, decode_font_name, functions) -> int\n\n"
"pdfium_source.read_glyphs: appends the page's glyphs to chars, returns the count of\n"
"U+FFFD skipped. textpage and functions (pdfium's FPDFText_GetTextObject,\n"
"GetLooseCharBox, IsGenerated, GetMatrix, GetFontSize, GetFontInfo) are addresses.");

static PyObject *read_glyphs(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 7) {
        PyErr_SetString(PyExc_TypeError, "read_glyphs() takes 7 arguments");
        return NULL;
    }
    void *page = PyLong_AsVoidPtr(args[0]);
    PyObject *text = args[1], *chars = args[3], *char_type = args[4], *decode = args[5];
    double height = PyFloat_AsDouble(args[2]);
    if (PyErr_Occurred()) return NULL;
    if (!page || !PyUnicode_Check(text) || !PyList_Check(chars) || !PyTuple_Check(args[6]) ||
        PyTuple_GET_SIZE(args[6]) != FUNCTIONS) {
        PyErr_SetString(PyExc_TypeError, "read_glyphs(): bad arguments");
        return NULL;
    }
    void *f[FUNCTIONS];
    for (int k = 0; k < FUNCTIONS; k++) {
        f[k] = PyLong_AsVoidPtr(PyTuple_GET_ITEM(args[6], k));
        if (!f[k]) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "null function");
            return NULL;
        }
    }
    GetTextObject get_object = (GetTextObject)f[0];
    GetLooseCharBox loose_box = (GetLooseCharBox)f[1];
    IsGenerated is_generated = (IsGenerated)f[2];
    GetMatrix get_matrix = (GetMatrix)f[3];
    GetFontSize font_size = (GetFontSize)f[4];
    GetFontInfo font_info = (GetFontInfo)f[5];

    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (n > INT_MAX) {
        PyErr_SetString(PyExc_ValueError, "too many glyphs");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    PyObject *fonts = PyDict_New(), *hyphen = PyUnicode_FromOrdinal('-');
    PyObject *size_obj = NULL, *font = NULL;  /* font: borrowed from fonts */
    if (!fonts || !hyphen) goto error;

    Rect rect = {0, 0, 0, 0};
    Matrix m = {0, 0, 0, 0, 0, 0};
    char name[NAME_SIZE] = {0};
    int flags = 0, pending_space = 0, upright = 1;
    long unmapped = 0;
    double size = 0.0, descent = 0.0;
    void *last_obj = NULL;
    Py_ssize_t i = 0;
    while (i < n) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        Py_ssize_t start = i, end = i + 1;
        int is_hyphen = 0;
        if (special(ch)) {
            if (ch == ' ' || ch == '\r' || ch == '\n') {
                if (ch == ' ') {
                    int hint = is_generated(page, (int)i) ? 1 : 2;
                    if (hint > pending_space) pending_space = hint;
                }
                i = end;
                continue;
            }
            if (ch != 0xfffe && ch != 0x02) {  /* control codes, U+FFFD (no Unicode map) */
                unmapped += ch == 0xfffd;
                i = end;
                continue;
            }
            is_hyphen = 1;
        } else {
            while (end < n && !special(PyUnicode_READ(kind, data, end))) end++;
        }
        void *obj = get_object(page, (int)start);
        int one_object = end - start == 1 || obj == get_object(page, (int)(end - 1));
        for (Py_ssize_t k = start; k < end; k++) {
            if (!one_object) obj = get_object(page, (int)k);
            loose_box(page, (int)k, &rect);
            double left = rect.left, right = rect.right, bottom = rect.bottom;
            if (obj != last_obj) {
                last_obj = obj;
                get_matrix(page, (int)k, &m);
                upright = fabs((double)m.b) <= 0.05 * fabs((double)m.a) && m.a > 0;
                PyObject *norm = PyObject_CallFunction(hypot_func, "dd", (double)m.c,
                                                       (double)m.d);
                if (!norm) goto error;
                size = font_size(page, (int)k) * PyFloat_AsDouble(norm);
                Py_DECREF(norm);
                Py_XSETREF(size_obj, PyFloat_FromDouble(size));
                if (!size_obj) goto error;
                descent = (double)m.f - bottom;
                font_info(page, (int)k, name, NAME_SIZE, &flags);
                if (!(font = font_name(fonts, decode, name))) goto error;
            }
            if (!upright || size <= 0) continue;  /* rotated text is not page text */
            PyObject *glyph = is_hyphen ? Py_NewRef(hyphen)
                                        : PyUnicode_FromOrdinal(PyUnicode_READ(kind, data, k));
            if (!glyph) goto error;
            PyObject *c = new_char(char_type, glyph, left, right, height - (bottom + descent),
                                   size_obj, font, pending_space);
            Py_DECREF(glyph);
            if (!c || PyList_Append(chars, c) < 0) {
                Py_XDECREF(c);
                goto error;
            }
            Py_DECREF(c);
            pending_space = 0;
        }
        i = end;
    }
    Py_DECREF(fonts);
    Py_DECREF(hyphen);
    Py_XDECREF(size_obj);
    return PyLong_FromLong(unmapped);
error:
    Py_XDECREF(fonts);
    Py_XDECREF(hyphen);
    Py_XDECREF(size_obj);
    return NULL;
}


PyDoc_STRVAR(text_objects_doc,
"text_objects(textpage, count, get_text_object) -> set[int]\n\n"
"pdfium_source.text_objects: the addresses of the text objects whose glyphs pdfium's text\n"
"page holds (get_text_object: FPDFText_GetTextObject's address).");

static PyObject *text_objects(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "text_objects() takes 3 arguments");
        return NULL;
    }
    void *page = PyLong_AsVoidPtr(args[0]);
    long count = PyLong_AsLong(args[1]);
    GetTextObject get_object = (GetTextObject)PyLong_AsVoidPtr(args[2]);
    if (PyErr_Occurred()) return NULL;
    if (!page || !get_object || count < 0 || count > INT_MAX) {
        PyErr_SetString(PyExc_ValueError, "text_objects(): bad arguments");
        return NULL;
    }
    PyObject *seen = PySet_New(NULL);
    if (!seen) return NULL;
    void *last = NULL;
    for (long i = 0; i < count; i++) {
        void *obj = get_object(page, (int)i);
        if (!obj || obj == last) continue;  /* generated chars have no object */
        last = obj;
        PyObject *key = PyLong_FromVoidPtr(obj);
        if (!key || PySet_Add(seen, key) < 0) {
            Py_XDECREF(key);
            Py_DECREF(seen);
            return NULL;
        }
        Py_DECREF(key);
    }
    return seen;
}

typedef int (*CountObjects)(void *holder);
typedef void *(*GetObject)(void *holder, int index);
typedef int (*GetType)(void *obj);
typedef int (*GetObjMatrix)(void *obj, Matrix *matrix);
typedef int (*GetBounds)(void *obj, float *left, float *bottom, float *right, float *top);
typedef int (*CountSegments)(void *obj);

#define OBJECT_FUNCTIONS 8
#define PAGEOBJ_TEXT 1
#define PAGEOBJ_PATH 2
#define PAGEOBJ_IMAGE 3
#define PAGEOBJ_FORM 5

typedef struct { double a, b, c, d, e, f; int identity; } Affine;
typedef struct { void *obj; Affine m; } Pending;

PyDoc_STRVAR(walk_objects_doc,
"walk_objects(page, read, functions) -> (text_objects, unread, drawn)\n\n"
"pdfium_source.walk_objects: every object of a page, forms opened, in the Python walk's\n"
"order; text objects counted (and those whose address is not in read), paths and images\n"
"returned as (kind, x0, y0, x1, y1, segments) in page space. functions: the addresses of\n"
"FPDFPage_CountObjects, FPDFPage_GetObject, FPDFPageObj_GetType, FPDFFormObj_CountObjects,\n"
"FPDFFormObj_GetObject, FPDFPageObj_GetMatrix, FPDFPageObj_GetBounds, FPDFPath_CountSegments.");

static PyObject *walk_objects(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3 || !PyAnySet_Check(args[1]) || !PyTuple_Check(args[2]) ||
        PyTuple_GET_SIZE(args[2]) != OBJECT_FUNCTIONS) {
        PyErr_SetString(PyExc_TypeError, "walk_objects(page, read, functions): bad arguments");
        return NULL;
    }
    void *page = PyLong_AsVoidPtr(args[0]);
    if (!page) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "null page");
        return NULL;
    }
    void *f[OBJECT_FUNCTIONS];
    for (int k = 0; k < OBJECT_FUNCTIONS; k++) {
        f[k] = PyLong_AsVoidPtr(PyTuple_GET_ITEM(args[2], k));
        if (!f[k]) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "null function");
            return NULL;
        }
    }
    CountObjects count_objects = (CountObjects)f[0];
    GetObject get_object = (GetObject)f[1];
    GetType get_type = (GetType)f[2];
    CountObjects form_count = (CountObjects)f[3];
    GetObject form_object = (GetObject)f[4];
    GetObjMatrix get_matrix = (GetObjMatrix)f[5];
    GetBounds get_bounds = (GetBounds)f[6];
    CountSegments count_segments = (CountSegments)f[7];
    PyObject *read = args[1];

    int n = count_objects(page);
    Py_ssize_t cap = n > 16 ? n : 16, top = 0;
    Pending *stack = PyMem_Malloc(cap * sizeof(Pending));
    PyObject *drawn = PyList_New(0);
    if (!stack || !drawn) goto error;
    Affine identity = {1, 0, 0, 1, 0, 0, 1};
    for (int i = 0; i < n; i++) stack[top++] = (Pending){get_object(page, i), identity};
    long text_objects = 0, unread = 0;
    while (top > 0) {
        Pending item = stack[--top];
        int kind = get_type(item.obj);
        if (kind == PAGEOBJ_TEXT) {
            text_objects++;
            PyObject *key = PyLong_FromVoidPtr(item.obj);
            if (!key) goto error;
            int found = PySet_Contains(read, key);
            Py_DECREF(key);
            if (found < 0) goto error;
            unread += !found;
            continue;
        }
        if (kind == PAGEOBJ_FORM) {
            Matrix fm = {0, 0, 0, 0, 0, 0};
            get_matrix(item.obj, &fm);
            double a = fm.a, b = fm.b, c = fm.c, d = fm.d, e = fm.e, ff = fm.f;
            Affine inner = {a, b, c, d, e, ff, 0};
            if (!item.m.identity) {  /* pdfium_source._compose(outer, inner) */
                double A = item.m.a, B = item.m.b, C = item.m.c, D = item.m.d;
                double E = item.m.e, F = item.m.f;
                inner = (Affine){a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
                                 e * A + ff * C + E, e * B + ff * D + F, 0};
            }
            int children = form_count(item.obj);
            if (top + children > cap) {
                cap = (top + children) * 2;
                Pending *grown = PyMem_Realloc(stack, cap * sizeof(Pending));
                if (!grown) goto error;
                stack = grown;
            }
            for (int j = 0; j < children; j++)
                stack[top++] = (Pending){form_object(item.obj, j), inner};
            continue;
        }
        if (kind != PAGEOBJ_PATH && kind != PAGEOBJ_IMAGE) continue;
        float l = 0, bo = 0, r = 0, t = 0;
        if (!get_bounds(item.obj, &l, &bo, &r, &t)) continue;
        double x0 = l, y0 = bo, x1 = r, y1 = t;
        if (!item.m.identity) {  /* pdfium_source._transform */
            double xs[4], ys[4], px[4] = {x0, x0, x1, x1}, py[4] = {y0, y1, y0, y1};
            for (int k = 0; k < 4; k++) {
                xs[k] = item.m.a * px[k] + item.m.c * py[k] + item.m.e;
                ys[k] = item.m.b * px[k] + item.m.d * py[k] + item.m.f;
            }
            x0 = x1 = xs[0];
            y0 = y1 = ys[0];
            for (int k = 1; k < 4; k++) {
                if (xs[k] < x0) x0 = xs[k];
                if (xs[k] > x1) x1 = xs[k];
                if (ys[k] < y0) y0 = ys[k];
                if (ys[k] > y1) y1 = ys[k];
            }
        }
        int segments = kind == PAGEOBJ_PATH ? count_segments(item.obj) : 0;
        PyObject *row = Py_BuildValue("(iddddi)", kind, x0, y0, x1, y1, segments);
        if (!row || PyList_Append(drawn, row) < 0) {
            Py_XDECREF(row);
            goto error;
        }
        Py_DECREF(row);
    }
    PyMem_Free(stack);
    PyObject *result = Py_BuildValue("(llN)", text_objects, unread, drawn);
    return result;
error:
    PyMem_Free(stack);
    Py_XDECREF(drawn);
    return NULL;
}

/* visibility.walk in C: the page's text objects that may not be seen (flags MODE 1,
 * WHITE_FILL 2, OUTSIDE 4, CLIPPED 8, as visibility.py), and only when one of them is
 * flagged MODE or WHITE_FILL the boxes of what lies under text (images, filled shapes that
 * are not white, shadings). Boxes are user space (left, bottom, right, top), through form matrices. */

typedef struct { double a, b, c, d, e, f; } WalkAffine;
typedef struct { void *obj; WalkAffine m; int has_m; } WalkPending;
typedef struct { double l, b, r, t; } Box4;
typedef struct { Box4 *items; Py_ssize_t n, cap; } Boxes;

typedef int (*WalkCount)(void *page);
typedef void *(*WalkGet)(void *page, int index);
typedef int (*ObjType)(void *obj);
typedef int (*FormCount)(void *obj);
typedef void *(*FormGet)(void *obj, unsigned long index);
typedef int (*ObjMatrix)(void *obj, Matrix *m);
typedef int (*ObjBounds)(void *obj, float *l, float *b, float *r, float *t);
typedef int (*RenderMode)(void *obj);
typedef int (*FillColor)(void *obj, unsigned int *r, unsigned int *g, unsigned int *b,
                         unsigned int *a);
typedef void *(*ClipOf)(void *obj);
typedef int (*ClipCount)(void *clip);
typedef int (*ClipSegCount)(void *clip, int path);
typedef void *(*ClipSeg)(void *clip, int path, int seg);
typedef int (*SegPoint)(void *seg, float *x, float *y);
typedef int (*DrawMode)(void *obj, int *fill, int *stroke);

#define WALK_FUNCTIONS 15
#define WHITE 250

static Box4 apply(const WalkPending *p, double l, double b, double r, double t) {
    if (!p->has_m) return (Box4){l, b, r, t};
    const WalkAffine *m = &p->m;
    double xs[4] = {l, l, r, r}, ys[4] = {b, t, b, t};
    Box4 out = {0, 0, 0, 0};
    for (int k = 0; k < 4; k++) {
        double x = m->a * xs[k] + m->c * ys[k] + m->e, y = m->b * xs[k] + m->d * ys[k] + m->f;
        if (k == 0 || x < out.l) out.l = x;
        if (k == 0 || y < out.b) out.b = y;
        if (k == 0 || x > out.r) out.r = x;
        if (k == 0 || y > out.t) out.t = y;
    }
    return out;
}

static int push_box(Boxes *boxes, Box4 box) {
    if (boxes->n == boxes->cap) {
        Py_ssize_t cap = boxes->cap ? 2 * boxes->cap : 64;
        Box4 *items = PyMem_Realloc(boxes->items, cap * sizeof(Box4));
        if (!items) return -1;
        boxes->items = items;
        boxes->cap = cap;
    }
    boxes->items[boxes->n++] = box;
    return 0;
}

static int contains(Box4 outer, Box4 inner) {
    return outer.l <= inner.l && outer.b <= inner.b && inner.r <= outer.r && inner.t <= outer.t;
}

static PyObject *box_tuple(Box4 box) {
    return Py_BuildValue("(dddd)", box.l, box.b, box.r, box.t);
}

static PyObject *box_list(const Boxes *boxes) {
    PyObject *list = PyList_New(boxes->n);
    for (Py_ssize_t k = 0; list && k < boxes->n; k++) {
        PyObject *item = box_tuple(boxes->items[k]);
        if (!item) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, k, item);
    }
    return list;
}

PyDoc_STRVAR(flagged_text_objects_doc,
"flagged_text_objects(page, page_box, functions) -> (flagged, images, fills)\n\n"
"visibility.walk: flagged is a list of (handle, flags, box, clip box or None); images and\n"
"fills are lists of boxes (empty unless a flagged object needs them). page and functions\n"
"(visibility.FUNCTIONS) are addresses; page_box is (left, bottom, right, top).");

static PyObject *flagged_text_objects(PyObject *module, PyObject *const *args,
                                      Py_ssize_t nargs) {
    if (nargs != 3 || !PyTuple_Check(args[2]) || PyTuple_GET_SIZE(args[2]) != WALK_FUNCTIONS) {
        PyErr_SetString(PyExc_TypeError, "flagged_text_objects(): bad arguments");
        return NULL;
    }
    void *page = PyLong_AsVoidPtr(args[0]);
    Box4 page_box;
    if (!page || !PyArg_ParseTuple(args[1], "dddd", &page_box.l, &page_box.b, &page_box.r,
                                   &page_box.t)) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "null page");
        return NULL;
    }
    void *f[WALK_FUNCTIONS];
    for (int k = 0; k < WALK_FUNCTIONS; k++) {
        f[k] = PyLong_AsVoidPtr(PyTuple_GET_ITEM(args[2], k));
        if (!f[k]) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "null function");
            return NULL;
        }
    }
    WalkCount count = (WalkCount)f[0];
    WalkGet get = (WalkGet)f[1];
    ObjType kind_of = (ObjType)f[2];
    FormCount form_count = (FormCount)f[3];
    FormGet form_get = (FormGet)f[4];
    ObjMatrix get_matrix = (ObjMatrix)f[5];
    ObjBounds bounds_of = (ObjBounds)f[6];
    RenderMode mode_of = (RenderMode)f[7];
    FillColor fill_of = (FillColor)f[8];
    ClipOf clip_of = (ClipOf)f[9];
    ClipCount clip_count = (ClipCount)f[10];
    ClipSegCount seg_count = (ClipSegCount)f[11];
    ClipSeg seg_get = (ClipSeg)f[12];
    SegPoint point_of = (SegPoint)f[13];
    DrawMode draw_mode = (DrawMode)f[14];

    Boxes images = {NULL, 0, 0}, fills = {NULL, 0, 0};
    WalkPending *stack = NULL;
    Py_ssize_t depth = 0, cap = 0;
    int needs_under = 0;
    PyObject *flagged = PyList_New(0), *result = NULL;
    if (!flagged) return NULL;
    int n = count(page);
    cap = n > 16 ? n : 16;
    if (!(stack = PyMem_Malloc(cap * sizeof(WalkPending)))) goto nomem;
    for (int i = 0; i < n; i++) stack[depth++] = (WalkPending){get(page, i), {0, 0, 0, 0, 0, 0}, 0};
    while (depth > 0) {
        WalkPending p = stack[--depth];
        int kind = kind_of(p.obj);
        if (kind == 5) {  /* FPDF_PAGEOBJ_FORM */
            Matrix fm = {0, 0, 0, 0, 0, 0};
            get_matrix(p.obj, &fm);
            WalkAffine in = {fm.a, fm.b, fm.c, fm.d, fm.e, fm.f}, m = in;
            if (p.has_m) {
                const WalkAffine *o = &p.m;
                m = (WalkAffine){in.a * o->a + in.b * o->c, in.a * o->b + in.b * o->d,
                             in.c * o->a + in.d * o->c, in.c * o->b + in.d * o->d,
                             in.e * o->a + in.f * o->c + o->e, in.e * o->b + in.f * o->d + o->f};
            }
            int inner = form_count(p.obj);
            if (inner > 0 && depth + inner > cap) {
                Py_ssize_t grown = 2 * (depth + inner);
                WalkPending *bigger = PyMem_Realloc(stack, grown * sizeof(WalkPending));
                if (!bigger) goto nomem;
                stack = bigger;
                cap = grown;
            }
            for (int j = 0; j < inner; j++)
                stack[depth++] = (WalkPending){form_get(p.obj, (unsigned long)j), m, 1};
            continue;
        }
        if (kind < 1 || kind > 4) continue;  /* text, path, image, shading */
        float l, b, r, t;
        if (!bounds_of(p.obj, &l, &b, &r, &t)) continue;
        Box4 box = apply(&p, l, b, r, t);
        if (kind == 4) {  /* a gradient lies under text as a filled shape does */
            if (push_box(&fills, box) < 0) goto nomem;
            continue;
        }
        unsigned int rgba[4] = {0, 0, 0, 0};
        if (kind == 2) {
            int fill = 0, stroke = 0;
            fill_of(p.obj, &rgba[0], &rgba[1], &rgba[2], &rgba[3]);
            unsigned int low = rgba[0] < rgba[1] ? rgba[0] : rgba[1];
            low = low < rgba[2] ? low : rgba[2];
            if (draw_mode(p.obj, &fill, &stroke) && fill && rgba[3] && low < WHITE &&
                push_box(&fills, box) < 0)
                goto nomem;
            continue;
        }
        if (kind == 3) {
            if (push_box(&images, box) < 0) goto nomem;
            continue;
        }
        int flags = 0, mode = mode_of(p.obj);
        fill_of(p.obj, &rgba[0], &rgba[1], &rgba[2], &rgba[3]);
        unsigned int low = rgba[0] < rgba[1] ? rgba[0] : rgba[1];
        low = low < rgba[2] ? low : rgba[2];
        if (mode == 3 || mode == 7)
            flags |= 1;
        else if ((mode == 0 || mode == 2 || mode == 4 || mode == 6) &&
                 (rgba[3] == 0 || low >= WHITE))
            flags |= 2;
        if (!contains(page_box, box)) flags |= 4;
        int has_clip = 0;
        Box4 clip = {0, 0, 0, 0};
        void *cp = clip_of(p.obj);
        if (cp) {
            int paths = clip_count(cp);
            for (int k = 0; k < paths; k++) {
                int segs = seg_count(cp, k), any = 0;
                double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
                for (int s = 0; s < segs; s++) {
                    float x, y;
                    if (!point_of(seg_get(cp, k, s), &x, &y)) continue;
                    if (!any || x < x0) x0 = x;
                    if (!any || y < y0) y0 = y;
                    if (!any || x > x1) x1 = x;
                    if (!any || y > y1) y1 = y;
                    any = 1;
                }
                if (!any) continue;
                Box4 part = apply(&p, x0, y0, x1, y1);
                if (!has_clip) {
                    clip = part;
                    has_clip = 1;
                } else {
                    clip.l = clip.l > part.l ? clip.l : part.l;
                    clip.b = clip.b > part.b ? clip.b : part.b;
                    clip.r = clip.r < part.r ? clip.r : part.r;
                    clip.t = clip.t < part.t ? clip.t : part.t;
                }
            }
            if (has_clip && !contains(clip, box)) flags |= 8;
        }
        if (!flags) continue;
        needs_under |= flags & 3;
        PyObject *handle = PyLong_FromVoidPtr(p.obj), *bx = box_tuple(box);
        PyObject *cl = has_clip ? box_tuple(clip) : Py_NewRef(Py_None);
        if (!handle || !bx || !cl) {
            Py_XDECREF(handle);
            Py_XDECREF(bx);
            Py_XDECREF(cl);
            goto error;
        }
        PyObject *item = Py_BuildValue("(NiNN)", handle, flags, bx, cl);  /* takes all three */
        if (!item) goto error;
        int failed = PyList_Append(flagged, item);
        Py_DECREF(item);
        if (failed < 0) goto error;
    }
    {
        Boxes none = {NULL, 0, 0};
        PyObject *im = box_list(needs_under ? &images : &none);
        PyObject *fl = box_list(needs_under ? &fills : &none);
        if (im && fl) result = PyTuple_Pack(3, flagged, im, fl);
        Py_XDECREF(im);
        Py_XDECREF(fl);
    }
    goto done;
nomem:
    PyErr_NoMemory();
error:
    result = NULL;
done:
    Py_DECREF(flagged);
    PyMem_Free(stack);
    PyMem_Free(images.items);
    PyMem_Free(fills.items);
    return result;
}

static PyMethodDef methods[] = {
    {"read_glyphs", (PyCFunction)(void (*)(void))read_glyphs, METH_FASTCALL, read_glyphs_doc},
    {"text_objects", (PyCFunction)(void (*)(void))text_objects, METH_FASTCALL, text_objects_doc},
    {"walk_objects", (PyCFunction)(void (*)(void))walk_objects, METH_FASTCALL, walk_objects_doc},
    {"flagged_text_objects", (PyCFunction)(void (*)(void))flagged_text_objects, METH_FASTCALL,
     flagged_text_objects_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_glyphs", "pdfium_source's glyph loop, compiled.", -1, methods,
};

PyMODINIT_FUNC PyInit__glyphs(void) {
    PyObject *math = PyImport_ImportModule("math");
    if (!math) return NULL;
    hypot_func = PyObject_GetAttrString(math, "hypot");
    Py_DECREF(math);
    if (!hypot_func) return NULL;
    return PyModule_Create(&module);
}
