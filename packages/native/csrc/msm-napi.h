/* N-API glue of the fixed-base MSM (msm.h), included by addon.c after its helpers (get_args,
 * get_bytes, get_size, invalid, status_value, code_value).
 *
 * A fixed-base table is an external value owning native memory (the affine multiples of every point,
 * ~1.5 KB per point at c = 16): created empty by g1FixedBaseNew, filled by g1FixedBaseBuildAsync
 * jobs (disjoint row ranges, in parallel), then read by any number of g1FixedBaseMsm(Async) calls.
 * Jobs hold a reference to the external, so the table outlives them whatever the caller drops. */
#ifndef AUTONOMYS_MSM_NAPI_H
#define AUTONOMYS_MSM_NAPI_H

#include "blst.h"
#include "msm.h"

/* Tags the externals so that a foreign one is refused. */
static const napi_type_tag FIXED_BASE_TAG = {0x6175746f6e6f6d79ULL, 0x6669786564626173ULL};

typedef struct {
  size_t n;               /* points (rows) */
  unsigned c, windows;
  size_t built;           /* rows built so far (main thread only) */
  uint8_t *row_built;     /* per row: 1 once a build job has filled it (main thread only) */
  blst_p1_affine *table;  /* table[k·n + i] = 2^(c·k)·P_i */
  uint8_t *inf;           /* inf[i] = 1: P_i is the identity */
} fixed_base_t;

static void fixed_base_free(fixed_base_t *fb) {
  if (fb == NULL) return;
  free(fb->table);
  free(fb->inf);
  free(fb->row_built);
  free(fb);
}

static void fixed_base_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  fixed_base_free(data);
}

/* The fixed_base_t behind a tagged external, or NULL (with a thrown error). */
static fixed_base_t *get_fixed_base(napi_env env, napi_value v) {
  napi_valuetype t;
  bool tagged = false;
  void *data = NULL;
  if (napi_typeof(env, v, &t) != napi_ok || t != napi_external ||
      napi_check_object_type_tag(env, v, &FIXED_BASE_TAG, &tagged) != napi_ok || !tagged ||
      napi_get_value_external(env, v, &data) != napi_ok || data == NULL)
    return invalid(env, "table"), NULL;
  return data;
}

/* g1FixedBaseNew(count, c) -> external: an empty table for `count` points, c-bit windows (0: by count). */
static napi_value js_g1_fixed_base_new(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS], ext;
  size_t n, c;
  if (!get_args(env, info, 2, argv) || !get_size(env, argv[0], &n, "count") || !get_size(env, argv[1], &c, "c"))
    return NULL;
  if (n == 0 || n > ((size_t)1 << 24)) return invalid(env, "count"), NULL;
  if (c == 0) c = k_msm_fixed_window_bits(n);
  if (c < 2 || c > 16) return invalid(env, "c"), NULL;
  const unsigned windows = 255 / (unsigned)c + 1;
  fixed_base_t *fb = calloc(1, sizeof(fixed_base_t));
  if (fb != NULL) {
    fb->n = n;
    fb->c = (unsigned)c;
    fb->windows = windows;
    /* calloc: rows not built yet read as zeros, never as stale memory */
    fb->table = calloc(n * windows, sizeof(blst_p1_affine));
    fb->inf = calloc(n, 1);
    fb->row_built = calloc(n, 1);
  }
  if (fb == NULL || fb->table == NULL || fb->inf == NULL || fb->row_built == NULL) {
    fixed_base_free(fb);
    napi_throw_error(env, "NATIVE_OUT_OF_MEMORY", "could not allocate the fixed-base table");
    return NULL;
  }
  if (napi_create_external(env, fb, fixed_base_finalize, NULL, &ext) != napi_ok) {
    fixed_base_free(fb);
    napi_throw_error(env, "NATIVE_INTERNAL", "could not create the fixed-base table");
    return NULL;
  }
  if (napi_type_tag_object(env, ext, &FIXED_BASE_TAG) != napi_ok) {
    napi_throw_error(env, "NATIVE_INTERNAL", "could not tag the fixed-base table");
    return NULL;
  }
  return ext;
}

/* g1FixedBaseInfo(table) -> [count, c, windows, builtRows, bytes] */
static napi_value js_g1_fixed_base_info(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS], r, x;
  if (!get_args(env, info, 1, argv)) return NULL;
  fixed_base_t *fb = get_fixed_base(env, argv[0]);
  if (fb == NULL) return NULL;
  const double v[5] = {(double)fb->n, fb->c, fb->windows, (double)fb->built,
                       (double)(fb->n * fb->windows * sizeof(blst_p1_affine) + 2 * fb->n)};
  NAPI_CALL(env, napi_create_array_with_length(env, 5, &r));
  for (uint32_t i = 0; i < 5; i++) {
    NAPI_CALL(env, napi_create_double(env, v[i], &x));
    NAPI_CALL(env, napi_set_element(env, r, i, x));
  }
  return r;
}

enum { FB_BUILD = 0, FB_MSM = 1 };

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  napi_ref ref;     /* keeps the external (and its table) alive */
  fixed_base_t *fb;
  int kind;
  uint8_t *in;      /* a copy: rows [lo, hi) as 96-byte points, or count 32-byte BE scalars */
  size_t lo, hi;    /* build: rows; msm: hi = count */
  unsigned part, parts;
  uint8_t out[48];
  kstatus st;
} fb_job_t;

/* Decodes 96-byte points (on-curve checked) and builds their rows. */
static kstatus fixed_base_build_rows(fixed_base_t *fb, const uint8_t *points96, size_t lo, size_t hi) {
  kstatus st = {K_OK, 0, 0};
  blst_p1_affine *pts = malloc((hi - lo ? hi - lo : 1) * sizeof(blst_p1_affine));
  if (pts == NULL) return (kstatus){K_NO_MEMORY, 0, 0};
  for (size_t i = lo; i < hi; i++) {
    BLST_ERROR e = blst_p1_deserialize(&pts[i - lo], points96 + 96 * (i - lo));
    if (e != BLST_SUCCESS) {
      st = (kstatus){e == BLST_POINT_NOT_ON_CURVE ? K_NOT_ON_CURVE : K_BAD_ENCODING, i, 1};
      break;
    }
  }
  /* the rows are built from points relative to lo: shift the table and flags to match */
  if (st.code == K_OK &&
      k_msm_fixed_build(fb->table + lo, fb->inf + lo, pts, fb->n, 0, hi - lo, fb->c, fb->windows) != 0)
    st = (kstatus){K_NO_MEMORY, 0, 0};
  free(pts);
  return st;
}

/* Decodes canonical big-endian scalars and runs part `part` of `parts` of the fixed-base MSM. */
static kstatus fixed_base_msm(uint8_t out48[48], const fixed_base_t *fb, const uint8_t *scalars32, size_t n,
                              unsigned part, unsigned parts) {
  blst_p1 acc;
  blst_scalar *s = malloc((n ? n : 1) * sizeof(blst_scalar));
  if (s == NULL) return (kstatus){K_NO_MEMORY, 0, 0};
  for (size_t i = 0; i < n; i++) {
    blst_scalar_from_bendian(&s[i], scalars32 + 32 * i);
    if (!blst_scalar_fr_check(&s[i])) {
      free(s);
      return (kstatus){K_BAD_SCALAR, i, 0};
    }
  }
  int rc = k_msm_fixed(&acc, fb->table, fb->inf, fb->n, fb->c, fb->windows, s, n, part, parts);
  free(s);
  if (rc != 0) return (kstatus){K_NO_MEMORY, 0, 0};
  blst_p1_compress(out48, &acc);
  return (kstatus){K_OK, 0, 0};
}

static void fb_job_execute(napi_env env, void *data) {
  (void)env;
  fb_job_t *j = data;
  if (j->kind == FB_BUILD)
    j->st = fixed_base_build_rows(j->fb, j->in, j->lo, j->hi);
  else
    j->st = fixed_base_msm(j->out, j->fb, j->in, j->hi, j->part, j->parts);
}

static void fb_job_complete(napi_env env, napi_status s, void *data) {
  fb_job_t *j = data;
  napi_value result = NULL;
  if (s != napi_ok) j->st = (kstatus){K_NO_MEMORY, 0, 0};
  if (j->st.code != K_OK) {
    result = status_value(env, j->st);
  } else if (j->kind == FB_BUILD) {
    for (size_t i = j->lo; i < j->hi; i++)
      if (!j->fb->row_built[i]) j->fb->row_built[i] = 1, j->fb->built++;
    napi_get_undefined(env, &result);
  } else {
    void *buf;
    napi_value ab;
    if (napi_create_arraybuffer(env, 48, &buf, &ab) == napi_ok) {
      memcpy(buf, j->out, 48);
      if (napi_create_typedarray(env, napi_uint8_array, 48, ab, 0, &result) != napi_ok) result = NULL;
    }
  }
  settle_deferred(env, j->deferred, result, "result");
  napi_delete_async_work(env, j->work);
  napi_delete_reference(env, j->ref);
  free(j->in);
  free(j);
}

static napi_value fb_queue(napi_env env, napi_value ext, fb_job_t *j, const char *name) {
  napi_value promise, resource_name;
  if (napi_create_reference(env, ext, 1, &j->ref) != napi_ok) {
    free(j->in);
    free(j);
    napi_throw_error(env, "NATIVE_INTERNAL", "could not queue the native job");
    return NULL;
  }
  if (napi_create_promise(env, &j->deferred, &promise) != napi_ok ||
      napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &resource_name) != napi_ok ||
      napi_create_async_work(env, NULL, resource_name, fb_job_execute, fb_job_complete, j, &j->work) != napi_ok ||
      napi_queue_async_work(env, j->work) != napi_ok) {
    napi_delete_reference(env, j->ref);
    free(j->in);
    free(j);
    napi_throw_error(env, "NATIVE_INTERNAL", "could not queue the native job");
    return NULL;
  }
  return promise;
}

static fb_job_t *fb_job_new(napi_env env, fixed_base_t *fb, int kind, const uint8_t *in, size_t in_len) {
  fb_job_t *j = calloc(1, sizeof(fb_job_t));
  if (j != NULL) j->in = malloc(in_len ? in_len : 1);
  if (j == NULL || j->in == NULL) {
    free(j);
    napi_throw_error(env, "NATIVE_OUT_OF_MEMORY", "could not allocate the native job");
    return NULL;
  }
  memcpy(j->in, in, in_len);
  j->fb = fb;
  j->kind = kind;
  return j;
}

/* g1FixedBaseBuildAsync(table, points: (hi-lo)*96, lo) -> Promise<undefined | status>: rows [lo, hi). */
static napi_value js_g1_fixed_base_build_async(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  bytes_t points;
  size_t lo;
  if (!get_args(env, info, 3, argv)) return NULL;
  fixed_base_t *fb = get_fixed_base(env, argv[0]);
  if (fb == NULL || !get_bytes(env, argv[1], SIZE_MAX, &points, "points") || !multiple(env, points.len, 96, "points") ||
      !get_size(env, argv[2], &lo, "lo"))
    return NULL;
  const size_t hi = lo + points.len / 96;
  if (lo > fb->n || hi > fb->n) return invalid(env, "rows out of range"), NULL;
  fb_job_t *j = fb_job_new(env, fb, FB_BUILD, points.data, points.len);
  if (j == NULL) return NULL;
  j->lo = lo;
  j->hi = hi;
  return fb_queue(env, argv[0], j, "autonomys_native.g1FixedBaseBuild");
}

/* The scalars and part arguments of an MSM over a complete table. */
static bool fb_msm_args(napi_env env, napi_value *argv, fixed_base_t **fb, bytes_t *scalars, uint32_t *part,
                        uint32_t *parts) {
  *fb = get_fixed_base(env, argv[0]);
  if (*fb == NULL || !get_bytes(env, argv[1], SIZE_MAX, scalars, "scalars") || !multiple(env, scalars->len, 32, "scalars"))
    return false;
  if (napi_get_value_uint32(env, argv[2], part) != napi_ok || napi_get_value_uint32(env, argv[3], parts) != napi_ok ||
      *parts < 1 || *parts > 255 || *part >= *parts)
    return invalid(env, "part");
  if (scalars->len / 32 > (*fb)->n) return invalid(env, "more scalars than points");
  if ((*fb)->built != (*fb)->n) return invalid(env, "the table is not built");
  return true;
}

/* g1FixedBaseMsm(table, scalars: n*32 BE, part, parts, out48) -> status */
static napi_value js_g1_fixed_base_msm(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  fixed_base_t *fb;
  bytes_t scalars, out;
  uint32_t part, parts;
  if (!get_args(env, info, 5, argv) || !fb_msm_args(env, argv, &fb, &scalars, &part, &parts) ||
      !get_bytes(env, argv[4], 48, &out, "out"))
    return NULL;
  return status_value(env, fixed_base_msm(out.data, fb, scalars.data, scalars.len / 32, part, parts));
}

/* g1FixedBaseMsmAsync(table, scalars: n*32 BE, part, parts) -> Promise<Uint8Array(48) | status> */
static napi_value js_g1_fixed_base_msm_async(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  fixed_base_t *fb;
  bytes_t scalars;
  uint32_t part, parts;
  if (!get_args(env, info, 4, argv) || !fb_msm_args(env, argv, &fb, &scalars, &part, &parts)) return NULL;
  fb_job_t *j = fb_job_new(env, fb, FB_MSM, scalars.data, scalars.len);
  if (j == NULL) return NULL;
  j->hi = scalars.len / 32;
  j->part = part;
  j->parts = parts;
  return fb_queue(env, argv[0], j, "autonomys_native.g1FixedBaseMsm");
}

/* frQuotient(out: (n-1)*32, coefficients: n*32 BE, x32) -> status (curve.c k_fr_quotient): the
 * quotient of a KZG witness, n >= 2. */
static napi_value js_fr_quotient(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  bytes_t out, in, x;
  if (!get_args(env, info, 3, argv) || !get_bytes(env, argv[1], SIZE_MAX, &in, "coefficients") ||
      !multiple(env, in.len, 32, "coefficients") || !get_bytes(env, argv[2], 32, &x, "x"))
    return NULL;
  if (in.len < 64) return invalid(env, "coefficients"), NULL;
  if (!get_bytes(env, argv[0], in.len - 32, &out, "out")) return NULL;
  return status_value(env, k_fr_quotient(out.data, in.data, in.len / 32, x.data));
}

/* frQuotientLimbs(out: (n-1)*32, coefficients: Float64Array n*11, x32) -> status (k_fr_quotient_limbs). */
static napi_value js_fr_quotient_limbs(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS], ab;
  bytes_t out, x;
  napi_typedarray_type type;
  size_t len, off;
  void *data;
  bool is_ta = false;
  if (!get_args(env, info, 3, argv)) return NULL;
  if (napi_is_typedarray(env, argv[1], &is_ta) != napi_ok || !is_ta ||
      napi_get_typedarray_info(env, argv[1], &type, &len, &data, &ab, &off) != napi_ok ||
      type != napi_float64_array || len % 11 != 0 || len < 22)
    return invalid(env, "coefficients"), NULL;
  if (!get_bytes(env, argv[2], 32, &x, "x") || !get_bytes(env, argv[0], (len / 11 - 1) * 32, &out, "out"))
    return NULL;
  return status_value(env, k_fr_quotient_limbs(out.data, data, len / 11, x.data));
}

#endif
