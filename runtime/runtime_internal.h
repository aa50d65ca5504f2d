/* runtime_internal.h - pieces of the runtime shared between its files. */
#ifndef RESNETC_RUNTIME_INTERNAL_H
#define RESNETC_RUNTIME_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* threadpool.c: replaces Halide's halide_do_par_for. */
int resnetc_do_par_for(void *user_context,
                       int (*task)(void *, int, uint8_t *), int min, int size,
                       uint8_t *closure);
int resnetc_pool_set_threads(int n);
int resnetc_pool_threads(void);

/* scratch.c: replaces Halide's halide_malloc / halide_free, which kernels
 * call for their per-task scratch (e.g. zero-padded input tiles). */
void *resnetc_scratch_alloc(void *user_context, size_t bytes);
void resnetc_scratch_free(void *user_context, void *ptr);

#endif
