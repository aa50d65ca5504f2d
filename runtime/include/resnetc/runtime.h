/* resnetc/runtime.h - the small runtime every resnetc-generated library uses.
 *
 * Errors (a per-thread message), the aligned activation arena, the worker
 * thread count, and per-layer timing (enabled by RESNETC_PROFILE=1). The
 * generated driver calls these; applications normally use only the API of
 * their model's header. Plain C, no dependencies beyond libc and pthreads.
 */
#ifndef RESNETC_RUNTIME_H
#define RESNETC_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Installs resnetc's handlers into the kernel runtime (idempotent). */
void resnetc_runtime_init(void);

/* Instruction sets generated code may require. */
enum resnetc_isa { RESNETC_ISA_AVX2 = 1, RESNETC_ISA_AVX512 = 2 };

/* 0 when this CPU can run code compiled for `isa`; otherwise -1, with an
 * error naming `model` and the missing instructions. */
int resnetc_check_cpu(const char *model, int isa);

/* Records a printf-style message as this thread's last error; returns -1. */
int resnetc_set_error(const char *format, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* This thread's last error message ("" if none). */
const char *resnetc_last_error(void);

/* Zeroed memory aligned to 64 bytes; NULL (with an error) on failure. */
void *resnetc_arena_alloc(size_t bytes);
void resnetc_arena_free(void *arena);

/* Worker threads for kernels (process-wide). Returns 0, or -1 if n < 1. */
int resnetc_set_num_threads(int n);

/* Monotonic clock in nanoseconds. */
uint64_t resnetc_now_ns(void);

/* Per-layer timing. create() returns NULL unless the environment variable
 * RESNETC_PROFILE is set to a non-zero value; destroy() then prints the
 * mean time per layer over all runs to stderr. */
typedef struct resnetc_profile resnetc_profile;
resnetc_profile *resnetc_profile_create(const char *model, int layers,
                                        const char *const *labels);
void resnetc_profile_record(resnetc_profile *p, int layer, uint64_t ns);
void resnetc_profile_end_run(resnetc_profile *p);
void resnetc_profile_destroy(resnetc_profile *p);

#ifdef __cplusplus
}
#endif

#endif /* RESNETC_RUNTIME_H */
