/* N-API glue of the two-phase record recovery (pos-recover.h), included by addon.c after its helpers
 * (get_args, get_bytes, get_size, invalid, status_value, code_value). */
#ifndef AUTONOMYS_POS_NAPI_H
#define AUTONOMYS_POS_NAPI_H

#include "pos-recover.h"

/* The plan's size for a pattern, or 0 (and a thrown error) when more than half is missing. */
static size_t recover_plan_len(napi_env env, const bytes_t *present) {
  size_t m = 0, me = 0;
  for (size_t i = 0; i < present->len; i++)
    if (present->data[i] == 0) m++, me += (i & 1) == 0;
  if (present->len < 2 || (present->len & (present->len - 1)) != 0 || present->len > ((size_t)1 << 28) ||
      m > present->len / 2)
    return invalid(env, "present"), 0;
  return k_fr_recover_plan_size(present->len, m, me);
}

/* frRecoverPlanAsync(present: 2n, root2n, threads) -> Promise<Uint8Array (the plan) | status>: computed
 * on the libuv pool into an ArrayBuffer created here and handed out only when it is complete. */
typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  napi_ref plan_ref;
  uint8_t *plan;
  size_t plan_len;
  uint8_t *present; /* a copy */
  size_t n2;
  uint8_t root[32];
  unsigned threads;
  kstatus st;
} plan_job_t;

static void plan_job_execute(napi_env env, void *data) {
  (void)env;
  plan_job_t *j = data;
  j->st = k_fr_recover_plan(j->plan, j->plan_len, j->present, j->n2, j->root, j->threads);
}

static void plan_job_complete(napi_env env, napi_status s, void *data) {
  plan_job_t *j = data;
  napi_value result = NULL;
  if (s != napi_ok) j->st.code = K_NO_MEMORY, j->st.index = 0, j->st.group = 0;
  if (j->st.code == K_OK) napi_get_reference_value(env, j->plan_ref, &result);
  else result = status_value(env, j->st);
  settle_deferred(env, j->deferred, result, "plan");
  napi_delete_reference(env, j->plan_ref);
  napi_delete_async_work(env, j->work);
  free(j->present);
  free(j);
}

static napi_value js_fr_recover_plan_async(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS], ab, arr, promise, name;
  bytes_t present, root;
  size_t threads, len;
  if (!get_args(env, info, 3, argv) || !get_bytes(env, argv[0], SIZE_MAX, &present, "present") ||
      !get_bytes(env, argv[1], 32, &root, "root") || !get_size(env, argv[2], &threads, "threads"))
    return NULL;
  if ((len = recover_plan_len(env, &present)) == 0) return NULL;
  plan_job_t *j = calloc(1, sizeof *j);
  if (j == NULL || (j->present = malloc(present.len)) == NULL) {
    free(j);
    napi_throw_error(env, "NATIVE_OUT_OF_MEMORY", "could not allocate the native job");
    return NULL;
  }
  memcpy(j->present, present.data, present.len);
  memcpy(j->root, root.data, 32);
  j->n2 = present.len;
  j->plan_len = len;
  j->threads = threads >= 2 ? 2u : 1u;
  void *data;
  if (napi_create_arraybuffer(env, len, &data, &ab) != napi_ok ||
      napi_create_typedarray(env, napi_uint8_array, len, ab, 0, &arr) != napi_ok ||
      napi_create_reference(env, arr, 1, &j->plan_ref) != napi_ok) {
    free(j->present);
    free(j);
    napi_throw_error(env, "NATIVE_OUT_OF_MEMORY", "could not allocate the plan");
    return NULL;
  }
  j->plan = data;
  if (napi_create_promise(env, &j->deferred, &promise) != napi_ok ||
      napi_create_string_utf8(env, "autonomys_native.frRecoverPlan", NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_create_async_work(env, NULL, name, plan_job_execute, plan_job_complete, j, &j->work) != napi_ok ||
      napi_queue_async_work(env, j->work) != napi_ok) {
    napi_delete_reference(env, j->plan_ref);
    free(j->present);
    free(j);
    napi_throw_error(env, "NATIVE_INTERNAL", "could not queue the native job");
    return NULL;
  }
  return promise;
}

/* frRecoverPlan(present: 2n, root2n, threads) -> Uint8Array (the plan) | status */
static napi_value js_fr_recover_plan(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS], ab, arr;
  bytes_t present, root;
  size_t threads, len;
  if (!get_args(env, info, 3, argv) || !get_bytes(env, argv[0], SIZE_MAX, &present, "present") ||
      !get_bytes(env, argv[1], 32, &root, "root") || !get_size(env, argv[2], &threads, "threads"))
    return NULL;
  if ((len = recover_plan_len(env, &present)) == 0) return NULL;
  void *data;
  NAPI_CALL(env, napi_create_arraybuffer(env, len, &data, &ab));
  NAPI_CALL(env, napi_create_typedarray(env, napi_uint8_array, len, ab, 0, &arr));
  kstatus st = k_fr_recover_plan(data, len, present.data, present.len, root.data, threads >= 2 ? 2u : 1u);
  return st.code == K_OK ? arr : status_value(env, st);
}

/* frRecoverApply(out: n*32, values: 2n*32, plan, scale, threads) -> undefined | status */
static napi_value js_fr_recover_apply(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  bytes_t out, in, plan, scale;
  size_t threads;
  if (!get_args(env, info, 5, argv) || !get_bytes(env, argv[1], SIZE_MAX, &in, "values") ||
      !multiple(env, in.len, 64, "values") || !get_bytes(env, argv[0], in.len / 2, &out, "out") ||
      !get_bytes(env, argv[2], SIZE_MAX, &plan, "plan") || !get_bytes(env, argv[3], 32, &scale, "scale") ||
      !get_size(env, argv[4], &threads, "threads"))
    return NULL;
  return status_value(env, k_fr_recover_apply(out.data, in.data, in.len / 32, plan.data, plan.len, scale.data,
                                               threads >= 2 ? 2u : 1u));
}

#endif
