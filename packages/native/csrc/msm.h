/*
 * msm.c: a G1 multi-scalar multiplication with affine buckets (Montgomery's batch inversion), on
 * blst's field arithmetic. Called by k_g1_msm (curve.c) with points and scalars already decoded and
 * checked there, identity points and zero scalars already dropped.
 */
#ifndef AUTONOMYS_NATIVE_MSM_H
#define AUTONOMYS_NATIVE_MSM_H

#include <stddef.h>

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

#endif
