/*
 * N-API glue. The TypeScript wrapper (src/native.ts) validates every argument and allocates the
 * outputs; the checks here only keep a wrong call from touching memory it does not own.
 *
 * Convention: a kernel that can fail returns `undefined` (sync, output written in place) or the
 * output (async) on success, and `[code, index, group]` on failure; the wrapper throws NativeError.
 */
#include <node_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels.h"
#include "pos.h"

#define MAX_ARGS 6

#define NAPI_CALL(env, call)                                                    \
  do {                                                                          \
    if ((call) != napi_ok) {                                                    \
      napi_throw_error((env), "NATIVE_INTERNAL", "N-API call failed: " #call); \
      return NULL;                                                              \
    }                                                                           \
  } while (0)

typedef struct {
  uint8_t *data;
  size_t len;
} bytes_t;

static bool invalid(napi_env env, const char *msg) {
  napi_throw_type_error(env, "NATIVE_INVALID_ARGUMENT", msg);
  return false;
}

static bool get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = MAX_ARGS;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < want)
    return invalid(env, "too few arguments");
  return true;
}

/* A Uint8Array argument of exactly `len` bytes (or any length when len == SIZE_MAX). */
static bool get_bytes(napi_env env, napi_value v, size_t len, bytes_t *out, const char *name) {
  napi_typedarray_type type;
  size_t n;
  void *data;
  napi_value ab;
  size_t off;
  bool is_ta = false;
  if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta ||
      napi_get_typedarray_info(env, v, &type, &n, &data, &ab, &off) != napi_ok || type != napi_uint8_array)
    return invalid(env, name);
  if (len != SIZE_MAX && n != len) return invalid(env, name);
  out->data = data;
  out->len = n;
  return true;
}

/* Throws unless len is a multiple of k. */
static bool multiple(napi_env env, size_t len, size_t k, const char *name) {
  return len % k == 0 || invalid(env, name);
}

static bool get_size(napi_env env, napi_value v, size_t *out, const char *name) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok || !(d >= 0) || d > 9007199254740991.0 ||
      d != (double)(uint64_t)d)
    return invalid(env, name);
  *out = (size_t)d;
  return true;
}

static bool get_bool(napi_env env, napi_value v, bool *out) {
  return napi_get_value_bool(env, v, out) == napi_ok || invalid(env, "expected a boolean");
}

static napi_value status_value(napi_env env, kstatus st) {
  napi_value r, x;
  if (st.code == K_OK) {
    napi_get_undefined(env, &r);
    return r;
  }
  napi_create_array_with_length(env, 3, &r);
  napi_create_int32(env, st.code, &x);
  napi_set_element(env, r, 0, x);
  napi_create_double(env, (double)st.index, &x);
  napi_set_element(env, r, 1, x);
  napi_create_int32(env, st.group, &x);
  napi_set_element(env, r, 2, x);
  return r;
}

static napi_value code_value(napi_env env, int code) {
  kstatus st = {code, 0, 0};
  return status_value(env, st);
}

/* Resolves an async job's promise with `result`, or rejects it when the result could not be made. */
static void settle_deferred(napi_env env, napi_deferred deferred, napi_value result, const char *what) {
  if (result != NULL) {
    napi_resolve_deferred(env, deferred, result);
    return;
  }
  char text[64];
  napi_value msg, err;
  snprintf(text, sizeof text, "could not return the %s", what);
  napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &msg);
  napi_create_error(env, NULL, msg, &err);
  napi_reject_deferred(env, deferred, err);
}

/* --- synchronous kernels ---------------------------------------------------------------------- */

/* g1Decompress(out: count*96, in: count*48, subgroupCheck) */
static napi_value js_g1_decompress(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  bytes_t out, in;
  bool sub;
  if (!get_args(env, info, 3, argv) || !get_bytes(env, argv[1], SIZE_MAX, &in, "in") ||
      !multiple(env, in.len, 48, "in") || !get_bytes(env, argv[0], in.len / 48 * 96, &out, "out") || !get_bool(env, argv[2], &sub))
    return NULL;
  return status_value(env, k_g1_decompress(out.data, in.data, in.len / 48, sub));
}

/* g1Compress(out48, in96) */
static napi_value js_g1_compress(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  bytes_t out, in;
  if (!get_args(env, info, 2, argv) || !get_bytes(env, argv[0], 48, &out, "out") ||
      !get_bytes(env, argv[1], 96, &in, "in"))
    return NULL;
  return code_value(env, k_g1_compress(out.data, in.data));
}

/* g1InGroup(in: 48 or 96 bytes) */
static napi_value js_g1_in_group(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  bytes_t in;
  if (!get_args(env, info, 1, argv) || !get_bytes(env, argv[0], SIZE_MAX, &in, "point")) return NULL;
  if (in.len != 48 && in.len != 96) return invalid(env, "point"), NULL;
  return code_value(env, k_g1_in_group(in.data, in.len));
}

/* g1Add(out48, a48, b48) */
static napi_value js_g1_add(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  bytes_t out, a, b;
  if (!get_args(env, info, 3, argv) || !get_bytes(env, argv[0], 48, &out, "out") ||
      !get_bytes(env, argv[1], 48, &a, "a") || !get_bytes(env, argv[2], 48, &b, "b"))
    return NULL;
  return code_value(env, k_g1_add(out.data, a.data, b.data));
}

static bool msm_args(napi_env env, napi_value *argv, bytes_t *out, bytes_t *points, bytes_t *scalars) {
  if (!get_bytes(env, argv[0], 48, out, "out") || !get_bytes(env, argv[1], SIZE_MAX, points, "points") ||
      !get_bytes(env, argv[2], SIZE_MAX, scalars, "scalars"))
    return false;
  if (points->len % 96 != 0 || scalars->len != points->len / 96 * 32)
    return invalid(env, "points and scalars lengths disagree");
  return true;
}

/* The optional MSM kernel argument (K_MSM_*, default K_MSM_AUTO): tests and benchmarks pick one. */
static bool msm_kernel(napi_env env, napi_value v, int *kernel) {
  napi_valuetype t;
  int32_t k = K_MSM_AUTO;
  if (napi_typeof(env, v, &t) != napi_ok) return invalid(env, "kernel");
  if (t != napi_undefined && (napi_get_value_int32(env, v, &k) != napi_ok || k < K_MSM_AUTO || k > K_MSM_AFFINE))
    return invalid(env, "kernel");
  *kernel = k;
  return true;
}

/* g1Msm(out48, points: n*96, scalars: n*32 BE, kernel?) */
static napi_value js_g1_msm(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  bytes_t out, points, scalars;
  int kernel;
  if (!get_args(env, info, 3, argv) || !msm_args(env, argv, &out, &points, &scalars) ||
      !msm_kernel(env, argv[3], &kernel))
    return NULL;
  return status_value(env, k_g1_msm_with(out.data, points.data, scalars.data, points.len / 96, kernel));
}

/* pairingCheck(g1s: n*48, g2s: n*96, subgroupCheck) -> boolean | status */
static napi_value js_pairing_check(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS], r;
  bytes_t g1s, g2s;
  bool sub, ok;
  if (!get_args(env, info, 3, argv) || !get_bytes(env, argv[0], SIZE_MAX, &g1s, "g1s") ||
      !get_bytes(env, argv[1], SIZE_MAX, &g2s, "g2s") || !get_bool(env, argv[2], &sub))
    return NULL;
  if (g1s.len % 48 != 0 || g2s.len != g1s.len / 48 * 96) return invalid(env, "g1s and g2s lengths disagree"), NULL;
  kstatus st = k_pairing_check(&ok, g1s.data, g2s.data, g1s.len / 48, sub);
  if (st.code != K_OK) return status_value(env, st);
  NAPI_CALL(env, napi_get_boolean(env, ok, &r));
  return r;
}

/* frFft(out: n*32, in: n*32, root32, inverse) */
static napi_value js_fr_fft(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  bytes_t out, in, root;
  bool inv;
  if (!get_args(env, info, 4, argv) || !get_bytes(env, argv[1], SIZE_MAX, &in, "values") || !multiple(env, in.len, 32, "values") ||
      !get_bytes(env, argv[0], in.len, &out, "out") || !get_bytes(env, argv[2], 32, &root, "root") ||
      !get_bool(env, argv[3], &inv))
    return NULL;
  return status_value(env, k_fr_fft(out.data, in.data, in.len / 32, root.data, inv));
}

/* frExtendColumns(out: n*cols*32, records: n*cols*32, n, root2n) */
static napi_value js_fr_extend_columns(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  bytes_t out, in, root;
  size_t n;
  if (!get_args(env, info, 4, argv) || !get_bytes(env, argv[1], SIZE_MAX, &in, "records") ||
      !get_size(env, argv[2], &n, "n"))
    return NULL;
  if (n < 2) return invalid(env, "n must be a power of two >= 2"), NULL;
  if (!multiple(env, in.len, 32 * n, "records") || !get_bytes(env, argv[0], in.len, &out, "out") ||
      !get_bytes(env, argv[3], 32, &root, "root"))
    return NULL;
  return status_value(env, k_fr_extend_columns(out.data, in.data, n, in.len / 32 / n, root.data));
}

/* frRecoverPoly(out: n*32, values: 2n*32, present: 2n, root2n, scale, threads) (pos-recover.c) */
static napi_value js_fr_recover_poly(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  bytes_t out, in, present, root, scale;
  size_t threads;
  if (!get_args(env, info, 6, argv) || !get_bytes(env, argv[1], SIZE_MAX, &in, "values") ||
      !multiple(env, in.len, 64, "values") || !get_bytes(env, argv[0], in.len / 2, &out, "out") ||
      !get_bytes(env, argv[2], in.len / 32, &present, "present") || !get_bytes(env, argv[3], 32, &root, "root") ||
      !get_bytes(env, argv[4], 32, &scale, "scale") || !get_size(env, argv[5], &threads, "threads"))
    return NULL;
  return status_value(env, k_fr_recover_poly(out.data, in.data, present.data, in.len / 32, root.data, scale.data,
                                             threads >= 2 ? 2u : 1u));
}

/* aesChainMulti(out: n*16, key16, blocks: n*16, iterations) */
static napi_value js_aes_chain_multi(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  bytes_t out, key, blocks;
  size_t iters;
  if (!get_args(env, info, 4, argv) || !get_bytes(env, argv[2], SIZE_MAX, &blocks, "blocks") ||
      !multiple(env, blocks.len, 16, "blocks") || !get_bytes(env, argv[0], blocks.len, &out, "out") ||
      !get_bytes(env, argv[1], 16, &key, "key") || !get_size(env, argv[3], &iters, "iterations"))
    return NULL;
  return code_value(env, k_aes_chain_multi(out.data, key.data, blocks.data, blocks.len / 16, iters));
}

/* --- asynchronous kernels (libuv thread pool) --------------------------------------------------
 * Inputs are copied into the job, so the caller may reuse, transfer or detach its buffers at once;
 * the output is a fresh Uint8Array. A copy costs ~1 ms for 2^15 points against ~400 ms of MSM. */

enum { JOB_MSM, JOB_AES, JOB_DECOMPRESS };

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  int kind;
  uint8_t *in;     /* points‖scalars, or key‖blocks */
  size_t count;    /* points or chains */
  uint64_t iters;
  bool flag;       /* subgroup check */
  uint8_t *out;
  size_t out_len;
  kstatus st;
} job_t;

static void job_execute(napi_env env, void *data) {
  (void)env;
  job_t *job = data;
  if (job->kind == JOB_MSM) {
    /* iters packs the kernel (bits 0-7), the part (8-15) and the number of parts (16-23) */
    job->st = k_g1_msm_part(job->out, job->in, job->in + 96 * job->count, job->count, (int)(job->iters & 0xff),
                            (unsigned)(job->iters >> 8 & 0xff), (unsigned)(job->iters >> 16 & 0xff));
  } else if (job->kind == JOB_DECOMPRESS) {
    job->st = k_g1_decompress(job->out, job->in, job->count, job->flag);
  } else {
    job->st.code = k_aes_chain_multi(job->out, job->in, job->in + 16, job->count, job->iters);
  }
}

static void job_complete(napi_env env, napi_status s, void *data) {
  job_t *job = data;
  napi_value result = NULL;
  if (s == napi_ok && job->st.code == K_OK) {
    void *buf;
    napi_value ab;
    if (napi_create_arraybuffer(env, job->out_len, &buf, &ab) == napi_ok) {
      memcpy(buf, job->out, job->out_len);
      napi_create_typedarray(env, napi_uint8_array, job->out_len, ab, 0, &result);
    }
  } else {
    if (s != napi_ok) job->st.code = K_NO_MEMORY, job->st.index = 0, job->st.group = 0;
    result = status_value(env, job->st);
  }
  settle_deferred(env, job->deferred, result, "result");
  napi_delete_async_work(env, job->work);
  free(job->in);
  free(job->out);
  free(job);
}

static napi_value queue_job(napi_env env, job_t *job, const char *name) {
  napi_value promise, resource_name;
  if (napi_create_promise(env, &job->deferred, &promise) != napi_ok ||
      napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &resource_name) != napi_ok ||
      napi_create_async_work(env, NULL, resource_name, job_execute, job_complete, job, &job->work) != napi_ok ||
      napi_queue_async_work(env, job->work) != napi_ok) {
    free(job->in);
    free(job->out);
    free(job);
    napi_throw_error(env, "NATIVE_INTERNAL", "could not queue the native job");
    return NULL;
  }
  return promise;
}

static job_t *new_job(napi_env env, int kind, size_t in_len, size_t out_len) {
  job_t *job = calloc(1, sizeof(job_t));
  if (job != NULL) {
    job->kind = kind;
    job->in = malloc(in_len ? in_len : 1);
    job->out = malloc(out_len ? out_len : 1);
    job->out_len = out_len;
  }
  if (job == NULL || job->in == NULL || job->out == NULL) {
    if (job != NULL) free(job->in), free(job->out), free(job);
    napi_throw_error(env, "NATIVE_OUT_OF_MEMORY", "could not allocate the native job");
    return NULL;
  }
  return job;
}

/* g1MsmAsync(points: n*96, scalars: n*32 BE, kernel?, part?, parts?) -> Promise<Uint8Array(48) | status>:
 * part `part` of `parts` (default 0 of 1) of the MSM (k_g1_msm_part), parts <= 255. */
static napi_value js_g1_msm_async(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  bytes_t points, scalars;
  int kernel;
  uint32_t part = 0, parts = 1;
  napi_valuetype t;
  if (!get_args(env, info, 2, argv) || !get_bytes(env, argv[0], SIZE_MAX, &points, "points") ||
      !get_bytes(env, argv[1], SIZE_MAX, &scalars, "scalars") || !msm_kernel(env, argv[2], &kernel))
    return NULL;
  if (napi_typeof(env, argv[4], &t) == napi_ok && t != napi_undefined &&
      (napi_get_value_uint32(env, argv[3], &part) != napi_ok || napi_get_value_uint32(env, argv[4], &parts) != napi_ok ||
       parts < 1 || parts > 255 || part >= parts))
    return invalid(env, "part"), NULL;
  if (points.len % 96 != 0 || scalars.len != points.len / 96 * 32)
    return invalid(env, "points and scalars lengths disagree"), NULL;
  job_t *job = new_job(env, JOB_MSM, points.len + scalars.len, 48);
  if (job == NULL) return NULL;
  job->count = points.len / 96;
  job->iters = (uint64_t)kernel | (uint64_t)part << 8 | (uint64_t)parts << 16;
  memcpy(job->in, points.data, points.len);
  memcpy(job->in + points.len, scalars.data, scalars.len);
  return queue_job(env, job, "autonomys_native.g1Msm");
}

/* g1DecompressAsync(in: n*48, subgroupCheck) -> Promise<Uint8Array(n*96) | status> */
static napi_value js_g1_decompress_async(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  bytes_t in;
  bool sub;
  if (!get_args(env, info, 2, argv) || !get_bytes(env, argv[0], SIZE_MAX, &in, "in") || !multiple(env, in.len, 48, "in") ||
      !get_bool(env, argv[1], &sub))
    return NULL;
  job_t *job = new_job(env, JOB_DECOMPRESS, in.len, in.len / 48 * 96);
  if (job == NULL) return NULL;
  job->count = in.len / 48;
  job->flag = sub;
  memcpy(job->in, in.data, in.len);
  return queue_job(env, job, "autonomys_native.g1Decompress");
}

/* aesChainMultiAsync(key16, blocks: n*16, iterations) -> Promise<Uint8Array(n*16) | status> */
static napi_value js_aes_chain_multi_async(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  bytes_t key, blocks;
  size_t iters;
  if (!get_args(env, info, 3, argv) || !get_bytes(env, argv[0], 16, &key, "key") ||
      !get_bytes(env, argv[1], SIZE_MAX, &blocks, "blocks") || !multiple(env, blocks.len, 16, "blocks") ||
      !get_size(env, argv[2], &iters, "iterations"))
    return NULL;
  job_t *job = new_job(env, JOB_AES, 16 + blocks.len, blocks.len);
  if (job == NULL) return NULL;
  job->count = blocks.len / 16;
  job->iters = iters;
  memcpy(job->in, key.data, 16);
  memcpy(job->in + 16, blocks.data, blocks.len);
  return queue_job(env, job, "autonomys_native.aesChain");
}

/* The output arrays of k_pos_build as JavaScript ArrayBuffers, created in allocation order (x, the six
 * position arrays, y7): the tables are built in place, never copied (~56 MB at K = 20). ArrayBuffers of
 * a released table (the caller's `spare` list) are reused first, the first large enough for each array:
 * no fresh, zeroed memory and no external-memory growth (which costs the receiving thread a GC). Every
 * element of an output array is written by the kernel, so old contents never show. */
typedef struct {
  napi_env env;
  unsigned n;
  napi_value ab[8];
  unsigned spares;
  napi_value spare[8];
  void *spare_data[8];
  size_t spare_len[8];
} pos_out_t;

static void *pos_out_alloc(void *ctx, size_t bytes) {
  pos_out_t *o = ctx;
  void *data = NULL;
  if (o->n >= 8) return NULL;
  for (unsigned i = 0; i < o->spares; i++)
    if (o->spare[i] != NULL && o->spare_len[i] >= bytes && o->spare_len[i] > 0) {
      o->ab[o->n++] = o->spare[i];
      o->spare[i] = NULL;
      return o->spare_data[i];
    }
  if (napi_create_arraybuffer(o->env, bytes ? bytes : 4, &data, &o->ab[o->n]) != napi_ok) return NULL;
  o->n++;
  return data;
}

/* The spare ArrayBuffers of posTables' fifth argument (an array, or undefined); detached ones are skipped. */
static bool pos_spares(napi_env env, napi_value v, pos_out_t *o) {
  napi_valuetype t;
  bool is_array = false;
  uint32_t len = 0;
  if (napi_typeof(env, v, &t) != napi_ok) return invalid(env, "spare");
  if (t == napi_undefined) return true;
  if (napi_is_array(env, v, &is_array) != napi_ok || !is_array || napi_get_array_length(env, v, &len) != napi_ok)
    return invalid(env, "spare");
  for (uint32_t i = 0; i < len && o->spares < 8; i++) {
    napi_value e;
    bool is_ab = false, detached = false;
    void *data = NULL;
    size_t bytes = 0;
    if (napi_get_element(env, v, i, &e) != napi_ok || napi_is_arraybuffer(env, e, &is_ab) != napi_ok || !is_ab)
      return invalid(env, "spare");
    if (napi_is_detached_arraybuffer(env, e, &detached) != napi_ok || detached ||
        napi_get_arraybuffer_info(env, e, &data, &bytes) != napi_ok || bytes == 0)
      continue;
    bool seen = false; /* the same buffer twice must not become two arrays */
    for (unsigned j = 0; j < o->spares; j++) seen = seen || o->spare_data[j] == data;
    if (seen) continue;
    o->spare[o->spares] = e;
    o->spare_data[o->spares] = data;
    o->spare_len[o->spares++] = bytes;
  }
  return true;
}

/* posTables(seed32, k, maskLimit?, threads?, spare?) -> [x, pos2..pos7, y7] (Uint32Arrays), then with maskLimit > 0
 * [sBuckets (Uint32Array), masks (Uint8Array, 32 bytes each), scanned] | status: proof-of-space
 * tables and the chunk masks of their first proofs (pos.c) */
static napi_value js_pos_tables(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  bytes_t seed;
  size_t k, limit = 0;
  napi_valuetype lt;
  if (!get_args(env, info, 2, argv) || !get_bytes(env, argv[0], 32, &seed, "seed") || !get_size(env, argv[1], &k, "k"))
    return NULL;
  if (k < 6 || k > 25) return invalid(env, "k"), NULL;
  if (napi_typeof(env, argv[2], &lt) != napi_ok) return invalid(env, "maskLimit"), NULL;
  if (lt != napi_undefined && !get_size(env, argv[2], &limit, "maskLimit")) return NULL;
  if (limit > 65536) limit = 65536;
  size_t threads = 1;
  if (napi_typeof(env, argv[3], &lt) != napi_ok) return invalid(env, "threads"), NULL;
  if (lt != napi_undefined && !get_size(env, argv[3], &threads, "threads")) return NULL;
  k_pos_tables t;
  pos_out_t outs;
  memset(&outs, 0, sizeof outs);
  outs.env = env;
  if (!pos_spares(env, argv[4], &outs)) return NULL;
  if (k_pos_build(&t, seed.data, (unsigned)k, threads >= 2 ? 2u : 1u, limit > 0 ? K_POS_PAIRS : 0, pos_out_alloc,
                  &outs) != 0 ||
      outs.n != 8)
    return code_value(env, K_NO_MEMORY);
  uint32_t count = 0, scanned = 0;
  uint32_t *sb = NULL;
  uint8_t *masks = NULL;
  if (limit > 0) {
    sb = malloc(4 * limit);
    masks = malloc(32 * limit);
    if (!sb || !masks) {
      free(sb); free(masks);
      k_pos_free(&t);
      return code_value(env, K_NO_MEMORY);
    }
    k_pos_proof_masks(&t, (unsigned)k, (uint32_t)limit, sb, masks, &count, &scanned, threads >= 2 ? 2u : 1u);
  }
  napi_value result;
  uint32_t outputs = limit > 0 ? 10 : 8;
  bool ok = napi_create_array_with_length(env, outputs + (limit > 0), &result) == napi_ok;
  for (uint32_t i = 0; ok && i < outputs; i++) {
    size_t len = i == 0 ? ((size_t)1 << k) : i == 7 ? t.count[5] : i == 8 ? count : i == 9 ? 32 * (size_t)count
               : 2 * t.count[i - 1];
    napi_value ab = i < 8 ? outs.ab[i] : NULL, arr;
    if (i >= 8) {
      /* the masks are copied (at most 2 MiB); the tables were built in place */
      size_t bytes = i == 9 ? len : 4 * len;
      void *data;
      ok = napi_create_arraybuffer(env, bytes, &data, &ab) == napi_ok;
      if (ok && bytes > 0) memcpy(data, i == 8 ? (const void *)sb : (const void *)masks, bytes);
    }
    ok = ok && napi_create_typedarray(env, i == 9 ? napi_uint8_array : napi_uint32_array, len, ab, 0, &arr) == napi_ok &&
         napi_set_element(env, result, i, arr) == napi_ok;
  }
  if (ok && limit > 0) {
    napi_value v;
    ok = napi_create_uint32(env, scanned, &v) == napi_ok && napi_set_element(env, result, 10, v) == napi_ok;
  }
  free(sb);
  free(masks);
  k_pos_free(&t);
  if (!ok) {
    napi_throw_error(env, "NATIVE_INTERNAL", "could not allocate the tables");
    return NULL;
  }
  return result;
}

#include "pos-napi.h"
#include "g1fft-napi.h"
#include "msm-napi.h"

/* --- module ----------------------------------------------------------------------------------- */

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  napi_property_descriptor props[] = {
      {"g1Decompress", NULL, js_g1_decompress, NULL, NULL, NULL, napi_enumerable, NULL},
      {"g1DecompressAsync", NULL, js_g1_decompress_async, NULL, NULL, NULL, napi_enumerable, NULL},
      {"g1Compress", NULL, js_g1_compress, NULL, NULL, NULL, napi_enumerable, NULL},
      {"g1InGroup", NULL, js_g1_in_group, NULL, NULL, NULL, napi_enumerable, NULL},
      {"g1Add", NULL, js_g1_add, NULL, NULL, NULL, napi_enumerable, NULL},
      {"g1Msm", NULL, js_g1_msm, NULL, NULL, NULL, napi_enumerable, NULL},
      {"g1MsmAsync", NULL, js_g1_msm_async, NULL, NULL, NULL, napi_enumerable, NULL},
      {"g1FixedBaseNew", NULL, js_g1_fixed_base_new, NULL, NULL, NULL, napi_enumerable, NULL},
      {"g1FixedBaseInfo", NULL, js_g1_fixed_base_info, NULL, NULL, NULL, napi_enumerable, NULL},
      {"g1FixedBaseBuildAsync", NULL, js_g1_fixed_base_build_async, NULL, NULL, NULL, napi_enumerable, NULL},
      {"g1FixedBaseMsm", NULL, js_g1_fixed_base_msm, NULL, NULL, NULL, napi_enumerable, NULL},
      {"g1FixedBaseMsmAsync", NULL, js_g1_fixed_base_msm_async, NULL, NULL, NULL, napi_enumerable, NULL},
      {"frQuotient", NULL, js_fr_quotient, NULL, NULL, NULL, napi_enumerable, NULL},
      {"frQuotientLimbs", NULL, js_fr_quotient_limbs, NULL, NULL, NULL, napi_enumerable, NULL},
      {"pairingCheck", NULL, js_pairing_check, NULL, NULL, NULL, napi_enumerable, NULL},
      {"frFft", NULL, js_fr_fft, NULL, NULL, NULL, napi_enumerable, NULL},
      {"g1Fft", NULL, js_g1_fft, NULL, NULL, NULL, napi_enumerable, NULL},
      {"g1FftAsync", NULL, js_g1_fft_async, NULL, NULL, NULL, napi_enumerable, NULL},
      {"frRecoverPoly", NULL, js_fr_recover_poly, NULL, NULL, NULL, napi_enumerable, NULL},
      {"frExtendColumns", NULL, js_fr_extend_columns, NULL, NULL, NULL, napi_enumerable, NULL},
      {"aesChainMulti", NULL, js_aes_chain_multi, NULL, NULL, NULL, napi_enumerable, NULL},
      {"aesChainMultiAsync", NULL, js_aes_chain_multi_async, NULL, NULL, NULL, napi_enumerable, NULL},
      {"posTables", NULL, js_pos_tables, NULL, NULL, NULL, napi_enumerable, NULL},
      {"frRecoverPlan", NULL, js_fr_recover_plan, NULL, NULL, NULL, napi_enumerable, NULL},
      {"frRecoverPlanAsync", NULL, js_fr_recover_plan_async, NULL, NULL, NULL, napi_enumerable, NULL},
      {"frRecoverApply", NULL, js_fr_recover_apply, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_value aes;
  if (napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props) != napi_ok ||
      napi_get_boolean(env, k_aes_available(), &aes) != napi_ok ||
      napi_set_named_property(env, exports, "hasAes", aes) != napi_ok)
    return NULL;
  return exports;
}
