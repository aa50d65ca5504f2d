/* runtime.c - errors, arena, threads and per-layer timing for resnetc
 * libraries. See include/resnetc/runtime.h. */
#define _POSIX_C_SOURCE 200809L
#include "resnetc/runtime.h"
#include "runtime_internal.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* From Halide's runtime (linked into this library). */
typedef void (*halide_error_handler_t)(void *, const char *);
extern halide_error_handler_t halide_set_error_handler(halide_error_handler_t);
typedef int (*halide_do_par_for_t)(void *, int (*)(void *, int, uint8_t *),
                                   int, int, uint8_t *);
extern halide_do_par_for_t halide_set_custom_do_par_for(halide_do_par_for_t);
typedef void *(*halide_malloc_t)(void *, size_t);
typedef void (*halide_free_t)(void *, void *);
extern halide_malloc_t halide_set_custom_malloc(halide_malloc_t);
extern halide_free_t halide_set_custom_free(halide_free_t);

static _Thread_local char last_error[512];

int resnetc_set_error(const char *format, ...) {
  va_list args;
  va_start(args, format);
  vsnprintf(last_error, sizeof last_error, format, args);
  va_end(args);
  return -1;
}

const char *resnetc_last_error(void) { return last_error; }

/* Kernel failures surface as the kernel's return code; keep Halide's
 * message as the error text instead of letting it print to stderr. */
static void on_halide_error(void *user_context, const char *message) {
  (void)user_context;
  resnetc_set_error("%s", message);
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
/* Kernels run on resnetc's thread pool and scratch allocator. */
static void init(void) {
  halide_set_error_handler(on_halide_error);
  halide_set_custom_do_par_for(resnetc_do_par_for);
  halide_set_custom_malloc(resnetc_scratch_alloc);
  halide_set_custom_free(resnetc_scratch_free);
}
void resnetc_runtime_init(void) { pthread_once(&init_once, init); }

int resnetc_check_cpu(const char *model, int isa) {
  __builtin_cpu_init();
  int ok = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  const char *needs = "AVX2 and FMA";
  if (isa == RESNETC_ISA_AVX512) {
    ok = ok && __builtin_cpu_supports("avx512f") &&
         __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512dq") &&
         __builtin_cpu_supports("avx512vl");
    needs = "AVX-512 (F, BW, DQ, VL)";
  }
  if (ok)
    return 0;
  return resnetc_set_error("%s was compiled for %s, which this CPU lacks; "
                           "recompile it with resnetc compile --target avx2",
                           model, needs);
}

void *resnetc_arena_alloc(size_t bytes) {
  void *p = NULL;
  /* Round up so that a zero-byte arena still yields a valid pointer. */
  size_t size = (bytes + 63) & ~(size_t)63;
  if (size == 0)
    size = 64;
  if (posix_memalign(&p, 64, size) != 0) {
    resnetc_set_error("cannot allocate an arena of %zu bytes", bytes);
    return NULL;
  }
  memset(p, 0, size);
  return p;
}

void resnetc_arena_free(void *arena) { free(arena); }

int resnetc_set_num_threads(int n) {
  if (n < 1)
    return resnetc_set_error("the thread count must be at least 1, got %d", n);
  resnetc_runtime_init();
  return resnetc_pool_set_threads(n);
}

uint64_t resnetc_now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

struct resnetc_profile {
  const char *model;
  int layers;
  const char *const *labels;
  uint64_t runs;
  uint64_t ns[]; /* total per layer */
};

resnetc_profile *resnetc_profile_create(const char *model, int layers,
                                        const char *const *labels) {
  resnetc_runtime_init();
  const char *env = getenv("RESNETC_PROFILE");
  if (!env || !*env || strcmp(env, "0") == 0 || layers < 0)
    return NULL;
  resnetc_profile *p =
      calloc(1, sizeof *p + (size_t)layers * sizeof(uint64_t));
  if (!p)
    return NULL;
  p->model = model;
  p->layers = layers;
  p->labels = labels;
  return p;
}

void resnetc_profile_record(resnetc_profile *p, int layer, uint64_t ns) {
  if (p && layer >= 0 && layer < p->layers)
    p->ns[layer] += ns;
}

void resnetc_profile_end_run(resnetc_profile *p) {
  if (p)
    p->runs++;
}

void resnetc_profile_destroy(resnetc_profile *p) {
  if (!p)
    return;
  if (p->runs) {
    uint64_t total = 0;
    for (int i = 0; i < p->layers; ++i)
      total += p->ns[i];
    fprintf(stderr, "resnetc profile of %s: %llu runs, %.3f ms per run\n",
            p->model, (unsigned long long)p->runs,
            total / 1e6 / (double)p->runs);
    fprintf(stderr, "  %5s %10s %6s  %s\n", "layer", "ms", "%", "node");
    for (int i = 0; i < p->layers; ++i)
      fprintf(stderr, "  %5d %10.4f %6.2f  %s\n", i,
              p->ns[i] / 1e6 / (double)p->runs,
              total ? 100.0 * (double)p->ns[i] / (double)total : 0.0,
              p->labels[i]);
  }
  free(p);
}
