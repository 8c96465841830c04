/*
 * The kernels of @autonomys/native in plain C, free of N-API so they can be benchmarked and tested
 * from C too. Curve arithmetic is blst's public API (blst.h) only; byte formats are those of the
 * Subspace reference: scalars 32-byte big-endian canonical, G1 48-byte ZCash-compressed or 96-byte
 * uncompressed (blst_p1_affine_serialize), G2 96-byte compressed.
 */
#ifndef AUTONOMYS_NATIVE_KERNELS_H
#define AUTONOMYS_NATIVE_KERNELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Status codes shared with the TypeScript wrapper (src/native.ts: STATUS_CODES). */
enum {
  K_OK = 0,
  K_BAD_ENCODING = 1,   /* flags, length or coordinate >= p */
  K_NOT_ON_CURVE = 2,
  K_NOT_IN_GROUP = 3,   /* on the curve, outside the prime-order subgroup */
  K_BAD_SCALAR = 4,     /* scalar >= r */
  K_BAD_ROOT = 5,       /* FFT root of unity of the wrong order */
  K_NO_MEMORY = 6,
  K_NO_AES = 7,         /* the CPU (or this build) has no AES instructions */
};

/* A failure and where it happened: the element index and, for pairs, the group (1 = G1, 2 = G2). */
typedef struct {
  int code;
  size_t index;
  int group;
} kstatus;

kstatus k_g1_decompress(uint8_t *out96, const uint8_t *in48, size_t count, bool subgroup_check);
int k_g1_compress(uint8_t out48[48], const uint8_t in96[96]);
int k_g1_in_group(const uint8_t *in, size_t len);
int k_g1_add(uint8_t out48[48], const uint8_t a48[48], const uint8_t b48[48]);
kstatus k_g1_msm(uint8_t out48[48], const uint8_t *points96, const uint8_t *scalars32, size_t count);
/* k_g1_msm with the bucket kernel chosen (same checks, same result): by size, blst's Pippenger, or
 * the affine-bucket MSM of msm.c. */
enum { K_MSM_AUTO = 0, K_MSM_BLST = 1, K_MSM_AFFINE = 2 };
kstatus k_g1_msm_with(uint8_t out48[48], const uint8_t *points96, const uint8_t *scalars32, size_t count,
                      int kernel);
/* Part `part` of `parts` of that MSM (the same checks in every part): the parts add up to the whole
 * MSM and can run on parallel threads (the affine kernel shares out its windows; with blst's, part
 * 0 is the whole MSM and the others the identity). */
kstatus k_g1_msm_part(uint8_t out48[48], const uint8_t *points96, const uint8_t *scalars32, size_t count,
                      int kernel, unsigned part, unsigned parts);
kstatus k_pairing_check(bool *result, const uint8_t *g1s48, const uint8_t *g2s96, size_t count,
                        bool subgroup_check);
/* The n - 1 coefficients of (P(X) - P(x)) / (X - x) for the n coefficients of P (32-byte big-endian
 * canonical, in32) by synthetic division: q_(n-2) = c_(n-1), q_(k-1) = c_k + x·q_k. A bad
 * coefficient reports its index, a bad x the index n. */
kstatus k_fr_quotient(uint8_t *out32, const uint8_t *in32, size_t n, const uint8_t x32[32]);
/* The same from n coefficients as @autonomys/kzg's FrVector: 11 doubles per element, 24-bit limbs
 * (little-endian) of a·2^264 mod r; a limb that is not an integer in [0, 2^24), or an element >= r,
 * reports its index. */
kstatus k_fr_quotient_limbs(uint8_t *out32, const double *limbs, size_t n, const uint8_t x32[32]);
kstatus k_fr_fft(uint8_t *out32, const uint8_t *in32, size_t n, const uint8_t root32[32], bool inverse);
/* Column-wise rate-1/2 extension of n records of `cols` scalars (archiving §3.5 step 2). */
kstatus k_fr_extend_columns(uint8_t *out32, const uint8_t *in32, size_t n, size_t cols, const uint8_t root2n[32]);
/* The n coefficients (times scale32) of the polynomial of degree < n with the 2n values in32 at the
 * positions where present[i] != 0, on the domain of root2n, on 1 or 2 threads (pos-recover.c). */
kstatus k_fr_recover_poly(uint8_t *out32, const uint8_t *in32, const uint8_t *present, size_t n2,
                          const uint8_t root2n[32], const uint8_t scale32[32], unsigned threads);

/* The G1 Fourier transform of n uncompressed points (each first multiplied by its scalar when
 * scalars32 is not NULL), written uncompressed (96 bytes) or compressed (48) (g1fft.c). */
kstatus k_g1_fft(uint8_t *out, bool compress, const uint8_t *in96, const uint8_t *scalars32, size_t n,
                 const uint8_t root32[32], bool inverse);

bool k_aes_available(void);
/* n independent chains x_{i+1} = AES-128_key(x_i), `iterations` steps each, interleaved. */
int k_aes_chain_multi(uint8_t *out16, const uint8_t key16[16], const uint8_t *blocks16, size_t n,
                      uint64_t iterations);

#endif
