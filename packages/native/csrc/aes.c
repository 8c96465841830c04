/*
 * Iterated AES-128 (the proof-of-time chain): x_{i+1} = AES-128_k(x_i). Each step depends on the
 * previous one, so one chain is bound by the aesenc latency; independent chains interleaved in one
 * loop fill the pipeline and run at nearly the speed of one (used to verify checkpoints in bulk).
 */
#include <string.h>

#include "kernels.h"

#if defined(__x86_64__) && defined(__AES__)
#include <wmmintrin.h>

bool k_aes_available(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("aes");
}

/* FIPS-197 key expansion; aeskeygenassist wants its round constant as an immediate, hence the macro. */
static __m128i expand_step(__m128i key, __m128i assist) {
  assist = _mm_shuffle_epi32(assist, 0xff);
  key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
  key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
  key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
  return _mm_xor_si128(key, assist);
}
#define EXPAND(i, rcon) rk[i] = expand_step(rk[i - 1], _mm_aeskeygenassist_si128(rk[i - 1], rcon))

static void expand_key(__m128i rk[11], const uint8_t key16[16]) {
  rk[0] = _mm_loadu_si128((const __m128i *)key16);
  EXPAND(1, 0x01);
  EXPAND(2, 0x02);
  EXPAND(3, 0x04);
  EXPAND(4, 0x08);
  EXPAND(5, 0x10);
  EXPAND(6, 0x20);
  EXPAND(7, 0x40);
  EXPAND(8, 0x80);
  EXPAND(9, 0x1b);
  EXPAND(10, 0x36);
}

/* K chains at once, K a compile-time constant so the states stay in registers. */
#define DEFINE_CHAINS(K)                                                                     \
  static void chains_##K(const __m128i rk[11], uint8_t *out, const uint8_t *in, uint64_t n) { \
    __m128i x[K];                                                                            \
    _Pragma("GCC unroll 8") for (int j = 0; j < K; j++) x[j] =                               \
        _mm_loadu_si128((const __m128i *)(in + 16 * j));                                     \
    for (uint64_t it = 0; it < n; it++) {                                                    \
      _Pragma("GCC unroll 8") for (int j = 0; j < K; j++) x[j] = _mm_xor_si128(x[j], rk[0]);  \
      _Pragma("GCC unroll 9") for (int r = 1; r < 10; r++) {                                 \
        _Pragma("GCC unroll 8") for (int j = 0; j < K; j++) x[j] =                           \
            _mm_aesenc_si128(x[j], rk[r]);                                                   \
      }                                                                                      \
      _Pragma("GCC unroll 8") for (int j = 0; j < K; j++) x[j] =                             \
          _mm_aesenclast_si128(x[j], rk[10]);                                                \
    }                                                                                        \
    _Pragma("GCC unroll 8") for (int j = 0; j < K; j++)                                      \
        _mm_storeu_si128((__m128i *)(out + 16 * j), x[j]);                                   \
  }
DEFINE_CHAINS(1)
DEFINE_CHAINS(2)
DEFINE_CHAINS(4)
DEFINE_CHAINS(8)

int k_aes_chain_multi(uint8_t *out16, const uint8_t key16[16], const uint8_t *blocks16, size_t n,
                      uint64_t iterations) {
  if (!k_aes_available()) return K_NO_AES;
  __m128i rk[11];
  expand_key(rk, key16);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) chains_8(rk, out16 + 16 * i, blocks16 + 16 * i, iterations);
  if (i + 4 <= n) chains_4(rk, out16 + 16 * i, blocks16 + 16 * i, iterations), i += 4;
  if (i + 2 <= n) chains_2(rk, out16 + 16 * i, blocks16 + 16 * i, iterations), i += 2;
  if (i < n) chains_1(rk, out16 + 16 * i, blocks16 + 16 * i, iterations);
  return K_OK;
}

#else /* no AES-NI in this build (another architecture): the JS fallback is used */

bool k_aes_available(void) { return false; }

int k_aes_chain_multi(uint8_t *out16, const uint8_t key16[16], const uint8_t *blocks16, size_t n,
                      uint64_t iterations) {
  (void)out16, (void)key16, (void)blocks16, (void)n, (void)iterations;
  return K_NO_AES;
}

#endif
