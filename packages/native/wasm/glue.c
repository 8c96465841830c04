/*
 * The WebAssembly side of @autonomys/native: the curve kernels of csrc/curve.c (the same C the Node
 * addon runs, on the same blst sources) exported to JavaScript, with the few libc functions they need.
 *
 * Memory: a bump allocator over the module's linear memory, grown on demand. The JavaScript loader
 * (src/wasm.ts) takes a mark before each call, copies its inputs in, calls one kernel, copies the
 * outputs out and resets to the mark, so every call starts from the same heap top and nothing leaks.
 * free() is a no-op; kernels never keep memory between calls.
 */
#include <stddef.h>
#include <stdint.h>

#include "../csrc/kernels.h"

extern unsigned char __heap_base;

static uintptr_t heap_top = 0;

#define WASM_PAGE 65536u

static uintptr_t heap_start(void) { return ((uintptr_t)&__heap_base + 15u) & ~(uintptr_t)15u; }

void *malloc(size_t size) {
  if (heap_top == 0) heap_top = heap_start();
  uintptr_t at = (heap_top + 15u) & ~(uintptr_t)15u;
  uintptr_t end = at + size;
  if (end < at) return NULL;
  uintptr_t have = __builtin_wasm_memory_size(0) * WASM_PAGE;
  if (end > have) {
    size_t pages = (end - have + WASM_PAGE - 1) / WASM_PAGE;
    if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) return NULL;
  }
  heap_top = end;
  return (void *)at;
}

void free(void *ptr) { (void)ptr; }

void *memcpy(void *dst, const void *src, size_t n) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  while (n--) *d++ = *s++;
  return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  if (d < s) {
    while (n--) *d++ = *s++;
  } else {
    d += n;
    s += n;
    while (n--) *--d = *--s;
  }
  return dst;
}

void *memset(void *dst, int c, size_t n) {
  unsigned char *d = dst;
  while (n--) *d++ = (unsigned char)c;
  return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
  const unsigned char *x = a, *y = b;
  for (; n; n--, x++, y++)
    if (*x != *y) return *x - *y;
  return 0;
}

/* ---- heap marks for the loader ---- */

__attribute__((export_name("heap_mark"))) uintptr_t heap_mark(void) {
  if (heap_top == 0) heap_top = heap_start();
  return heap_top;
}

__attribute__((export_name("heap_reset"))) void heap_reset(uintptr_t mark) { heap_top = mark; }

__attribute__((export_name("alloc"))) void *alloc(size_t size) { return malloc(size); }

/* ---- kernels: a status word {code, index, group} is written to `st` (3 × int32) ---- */

static void put(int32_t *st, kstatus s) {
  st[0] = s.code;
  st[1] = (int32_t)s.index;
  st[2] = s.group;
}

__attribute__((export_name("g1_decompress"))) void w_g1_decompress(int32_t *st, uint8_t *out96,
                                                                     const uint8_t *in48, size_t count,
                                                                     int subgroup_check) {
  put(st, k_g1_decompress(out96, in48, count, subgroup_check != 0));
}

__attribute__((export_name("g1_compress"))) int w_g1_compress(uint8_t *out48, const uint8_t *in96) {
  return k_g1_compress(out48, in96);
}

__attribute__((export_name("g1_in_group"))) int w_g1_in_group(const uint8_t *in, size_t len) {
  return k_g1_in_group(in, len);
}

__attribute__((export_name("g1_add"))) int w_g1_add(uint8_t *out48, const uint8_t *a48,
                                                    const uint8_t *b48) {
  return k_g1_add(out48, a48, b48);
}

/* msm.c: the MSM with affine buckets and 29-bit limbs, faster than blst's on WebAssembly. */
kstatus wasm_g1_msm(uint8_t out48[48], const uint8_t *points96, const uint8_t *scalars32, size_t count);

/* From this many points msm.c's MSM is used; below, blst's (same results, same errors). */
#define WASM_MSM_MIN 64

__attribute__((export_name("g1_msm"))) void w_g1_msm(int32_t *st, uint8_t *out48, const uint8_t *points96,
                                                     const uint8_t *scalars32, size_t count) {
  put(st, count >= WASM_MSM_MIN ? wasm_g1_msm(out48, points96, scalars32, count)
                                : k_g1_msm(out48, points96, scalars32, count));
}

/* The same MSM with the kernel chosen by the caller (0: blst's, 1: msm.c's), for tests and benches. */
__attribute__((export_name("g1_msm_with"))) void w_g1_msm_with(int32_t *st, uint8_t *out48,
                                                               const uint8_t *points96,
                                                               const uint8_t *scalars32, size_t count,
                                                               int kernel) {
  put(st, kernel == 1 ? wasm_g1_msm(out48, points96, scalars32, count)
                      : k_g1_msm(out48, points96, scalars32, count));
}

__attribute__((export_name("pairing_check"))) void w_pairing_check(int32_t *st, int32_t *result,
                                                                   const uint8_t *g1s48,
                                                                   const uint8_t *g2s96, size_t count,
                                                                   int subgroup_check) {
  bool ok = false;
  put(st, k_pairing_check(&ok, g1s48, g2s96, count, subgroup_check != 0));
  *result = ok ? 1 : 0;
}

__attribute__((export_name("fr_fft"))) void w_fr_fft(int32_t *st, uint8_t *out32, const uint8_t *in32,
                                                     size_t n, const uint8_t *root32, int inverse) {
  put(st, k_fr_fft(out32, in32, n, root32, inverse != 0));
}
