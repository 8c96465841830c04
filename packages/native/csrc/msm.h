/*
 * msm.c: a G1 multi-scalar multiplication with affine buckets (Montgomery's batch inversion), on
 * blst's field arithmetic. Called by k_g1_msm (curve.c) with points and scalars already decoded and
 * checked there, identity points and zero scalars already dropped.
 */
#ifndef AUTONOMYS_NATIVE_MSM_H
#define AUTONOMYS_NATIVE_MSM_H

#include <stddef.h>
#include <stdint.h>

#include "blst.h"

/* Window bits chosen for n points (the cost model of msm.c). */
unsigned k_msm_window_bits(size_t n);

/* out = Σ scalars[i]·points[i] over n affine points (none the identity) and canonical scalars, or
 * part `part` of `parts` of it: the windows are shared out between the parts (the same ones for the
 * same n, c and parts), so the parts' results add up to the whole and can run on parallel threads.
 * c = 0 picks the window size (k_msm_window_bits); else 2 <= c <= 15. Returns 0, or -1 when out
 * of memory. */
int k_msm_affine(blst_p1 *out, const blst_p1_affine *points, const blst_scalar *scalars, size_t n, unsigned c,
                 unsigned part, unsigned parts);

/*
 * Fixed bases: for points P_i that serve many MSMs (the KZG parameters), a table of the multiples
 * 2^(c·k)·P_i of every window k, in affine coordinates, turns an MSM into a single bucket pass over
 * n·windows points (no per-window bucket sums, no doublings between windows, no point decoding).
 */

/* Window bits of a fixed-base table for n points (the cost model of msm.c), 8..16. */
unsigned k_msm_fixed_window_bits(size_t n);

/* Rows [lo, hi) of a fixed-base table: table[k·stride + i] = 2^(c·k)·points[i] for k < windows, and
 * inf[i] = 1 when points[i] is the identity (its rows are then unused). Rows are independent, so
 * ranges can be built on parallel threads. Returns 0, or -1 when out of memory. */
int k_msm_fixed_build(blst_p1_affine *table, uint8_t *inf, const blst_p1_affine *points, size_t stride,
                      size_t lo, size_t hi, unsigned c, unsigned windows);

/* out = Σ scalars[i]·points[i], i < n <= stride, over a table of k_msm_fixed_build (windows =
 * 255/c + 1, 2 <= c <= 16), or part `part` of `parts` of it: the parts share out the buckets, so
 * their results add up to the whole and can run on parallel threads. Canonical scalars. Returns 0,
 * or -1 when out of memory or the shape is wrong. */
int k_msm_fixed(blst_p1 *out, const blst_p1_affine *table, const uint8_t *inf, size_t stride, unsigned c,
                unsigned windows, const blst_scalar *scalars, size_t n, unsigned part, unsigned parts);

#endif
