/* N-API glue of the G1 Fourier transform (g1fft.c), included by addon.c after its helpers
 * (get_args, get_bytes, get_bool, invalid, status_value). */
#ifndef AUTONOMYS_G1FFT_NAPI_H
#define AUTONOMYS_G1FFT_NAPI_H

typedef struct {
  bytes_t out, in, scalars, root;
  bool inverse, compress;
  size_t n;
} g1fft_args_t;

/* (out?, points: n*96, scalars: n*32 or empty, root32, inverse, compress); out only for the sync call. */
static bool g1fft_args(napi_env env, napi_value *argv, bool with_out, g1fft_args_t *a) {
  napi_value *v = with_out ? argv + 1 : argv;
  if (!get_bytes(env, v[0], SIZE_MAX, &a->in, "points") || !multiple(env, a->in.len, 96, "points") ||
      !get_bytes(env, v[1], SIZE_MAX, &a->scalars, "scalars") || !get_bytes(env, v[2], 32, &a->root, "root") ||
      !get_bool(env, v[3], &a->inverse) || !get_bool(env, v[4], &a->compress))
    return false;
  a->n = a->in.len / 96;
  if (a->n == 0 || (a->n & (a->n - 1)) != 0) return invalid(env, "points: not a power of two");
  if (a->scalars.len != 0 && a->scalars.len != a->n * 32) return invalid(env, "scalars");
  if (with_out && !get_bytes(env, argv[0], a->n * (a->compress ? 48 : 96), &a->out, "out")) return false;
  return true;
}

/* g1Fft(out, points, scalars, root, inverse, compress) -> status */
static napi_value js_g1_fft(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  g1fft_args_t a;
  if (!get_args(env, info, 6, argv) || !g1fft_args(env, argv, true, &a)) return NULL;
  return status_value(env, k_g1_fft(a.out.data, a.compress, a.in.data, a.scalars.len ? a.scalars.data : NULL,
                                    a.n, a.root.data, a.inverse));
}

/* g1FftAsync(points, scalars, root, inverse, compress) -> Promise<Uint8Array | status>, on the libuv pool
 * with copies of the inputs. */
typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  uint8_t *in, *scalars, *out;
  size_t n, out_len;
  uint8_t root[32];
  bool inverse, compress;
  kstatus st;
} g1fft_job_t;

static void g1fft_job_free(g1fft_job_t *j) {
  free(j->in);
  free(j->scalars);
  free(j->out);
  free(j);
}

static void g1fft_job_execute(napi_env env, void *data) {
  (void)env;
  g1fft_job_t *j = data;
  j->st = k_g1_fft(j->out, j->compress, j->in, j->scalars, j->n, j->root, j->inverse);
}

static void g1fft_job_complete(napi_env env, napi_status s, void *data) {
  g1fft_job_t *j = data;
  napi_value result = NULL;
  if (s != napi_ok) j->st.code = K_NO_MEMORY, j->st.index = 0, j->st.group = 0;
  if (j->st.code == K_OK) {
    void *buf;
    napi_value ab;
    if (napi_create_arraybuffer(env, j->out_len, &buf, &ab) == napi_ok) {
      memcpy(buf, j->out, j->out_len);
      napi_create_typedarray(env, napi_uint8_array, j->out_len, ab, 0, &result);
    }
  } else {
    result = status_value(env, j->st);
  }
  settle_deferred(env, j->deferred, result, "result");
  napi_delete_async_work(env, j->work);
  g1fft_job_free(j);
}

static napi_value js_g1_fft_async(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS], promise, name;
  g1fft_args_t a;
  if (!get_args(env, info, 5, argv) || !g1fft_args(env, argv, false, &a)) return NULL;
  g1fft_job_t *j = calloc(1, sizeof *j);
  if (j != NULL) {
    j->n = a.n;
    j->out_len = a.n * (a.compress ? 48 : 96);
    j->in = malloc(a.in.len);
    j->out = malloc(j->out_len);
    j->scalars = a.scalars.len ? malloc(a.scalars.len) : NULL;
  }
  if (j == NULL || j->in == NULL || j->out == NULL || (a.scalars.len && j->scalars == NULL)) {
    if (j != NULL) g1fft_job_free(j);
    napi_throw_error(env, "NATIVE_OUT_OF_MEMORY", "could not allocate the native job");
    return NULL;
  }
  memcpy(j->in, a.in.data, a.in.len);
  if (a.scalars.len) memcpy(j->scalars, a.scalars.data, a.scalars.len);
  memcpy(j->root, a.root.data, 32);
  j->inverse = a.inverse;
  j->compress = a.compress;
  if (napi_create_promise(env, &j->deferred, &promise) != napi_ok ||
      napi_create_string_utf8(env, "autonomys_native.g1Fft", NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_create_async_work(env, NULL, name, g1fft_job_execute, g1fft_job_complete, j, &j->work) != napi_ok ||
      napi_queue_async_work(env, j->work) != napi_ok) {
    g1fft_job_free(j);
    napi_throw_error(env, "NATIVE_INTERNAL", "could not queue the native job");
    return NULL;
  }
  return promise;
}

#endif
