/* Tests of libresnetc_runtime's thread pool, scratch allocator, errors and
 * arena, through the functions the generated code and Halide's runtime use.
 * Prints "N passed, M failed" and exits non-zero on any failure. */
#define _GNU_SOURCE
#include "resnetc/runtime.h"
#include "runtime_internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int passed, failed;
#define CHECK(cond)                                                           \
  do {                                                                        \
    if (cond)                                                                 \
      ++passed;                                                               \
    else {                                                                    \
      ++failed;                                                               \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                         \
  } while (0)

#define N 1000
static atomic_int hits[N];
static _Thread_local int thread_tag;
static atomic_int next_tag;
static atomic_int seen_tags[64];

static int count_task(void *uc, int i, uint8_t *closure) {
  (void)uc;
  (void)closure;
  atomic_fetch_add(&hits[i], 1);
  if (!thread_tag)
    thread_tag = atomic_fetch_add(&next_tag, 1) + 1;
  atomic_store(&seen_tags[thread_tag % 64], 1);
  /* A little work so that several threads get a share. */
  volatile double x = 0;
  for (int k = 0; k < 2000; ++k)
    x += k;
  return 0;
}

static int every_index_once(int min, int size) {
  for (int i = 0; i < N; ++i)
    atomic_store(&hits[i], 0);
  if (resnetc_do_par_for(NULL, count_task, min, size, NULL) != 0)
    return 0;
  for (int i = 0; i < N; ++i)
    if (atomic_load(&hits[i]) != (i >= min && i < min + size))
      return 0;
  return 1;
}

static int threads_used(int size) {
  for (int i = 0; i < 64; ++i)
    atomic_store(&seen_tags[i], 0);
  for (int rep = 0; rep < 20; ++rep)
    resnetc_do_par_for(NULL, count_task, 0, size, NULL);
  int n = 0;
  for (int i = 0; i < 64; ++i)
    n += atomic_load(&seen_tags[i]);
  return n;
}

static int failing_task(void *uc, int i, uint8_t *closure) {
  (void)uc;
  (void)closure;
  return i == 7 ? 42 : 0;
}

static int nested_task(void *uc, int i, uint8_t *closure) {
  (void)uc;
  (void)closure;
  /* A parallel loop inside a task runs serially in that task. */
  return resnetc_do_par_for(NULL, count_task, i * 10, 10, NULL);
}

static void *concurrent_caller(void *arg) {
  int *ok = arg;
  for (int rep = 0; rep < 200; ++rep)
    if (resnetc_do_par_for(NULL, count_task, 0, N, NULL) != 0)
      *ok = 0;
  return NULL;
}

int main(void) {
  resnetc_runtime_init();

  /* Every index runs exactly once, for many sizes and thread counts. */
  for (int threads = 1; threads <= 4; ++threads) {
    CHECK(resnetc_set_num_threads(threads) == 0);
    CHECK(every_index_once(0, N));
    CHECK(every_index_once(3, 1));
    CHECK(every_index_once(5, 2));
    CHECK(every_index_once(100, 333));
    CHECK(every_index_once(0, 0));
  }
  /* Many back-to-back jobs, as between layers. */
  resnetc_set_num_threads(2);
  int all = 1;
  for (int rep = 0; rep < 2000 && all; ++rep)
    all = every_index_once(rep % 7, 50 + rep % 13);
  CHECK(all);

  /* The thread count is honoured in both directions. */
  resnetc_set_num_threads(1);
  CHECK(threads_used(N) == 1);
  resnetc_set_num_threads(3);
  CHECK(threads_used(N) <= 3);
  resnetc_set_num_threads(1);
  CHECK(threads_used(N) == 1);
  CHECK(resnetc_set_num_threads(0) == -1);
  CHECK(strstr(resnetc_last_error(), "at least 1") != NULL);

  /* Errors propagate; nested loops and concurrent callers work. */
  resnetc_set_num_threads(2);
  CHECK(resnetc_do_par_for(NULL, failing_task, 0, 20, NULL) == 42);
  for (int i = 0; i < N; ++i)
    atomic_store(&hits[i], 0);
  CHECK(resnetc_do_par_for(NULL, nested_task, 0, 50, NULL) == 0);
  int nested_ok = 1;
  for (int i = 0; i < 500; ++i)
    nested_ok &= atomic_load(&hits[i]) == 1;
  CHECK(nested_ok);
  int ok1 = 1, ok2 = 1;
  pthread_t t1, t2;
  pthread_create(&t1, NULL, concurrent_caller, &ok1);
  pthread_create(&t2, NULL, concurrent_caller, &ok2);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  CHECK(ok1 && ok2);

  /* Scratch blocks are aligned, reused, and large requests are honoured. */
  void *a = resnetc_scratch_alloc(NULL, 1000);
  CHECK(a && (uintptr_t)a % 64 == 0);
  memset(a, 1, 1000);
  resnetc_scratch_free(NULL, a);
  void *b = resnetc_scratch_alloc(NULL, 800);
  CHECK(b == a);
  void *c = resnetc_scratch_alloc(NULL, 1 << 24);
  CHECK(c && c != b);
  memset(c, 2, 1 << 24);
  resnetc_scratch_free(NULL, b);
  resnetc_scratch_free(NULL, c);
  resnetc_scratch_free(NULL, NULL);

  /* Arena: zeroed and 64-byte aligned, also for zero bytes. */
  unsigned char *arena = resnetc_arena_alloc(4096);
  int zero = arena != NULL && (uintptr_t)arena % 64 == 0;
  for (int i = 0; zero && i < 4096; ++i)
    zero = arena[i] == 0;
  CHECK(zero);
  resnetc_arena_free(arena);
  void *empty = resnetc_arena_alloc(0);
  CHECK(empty != NULL);
  resnetc_arena_free(empty);
  CHECK(resnetc_arena_alloc((size_t)-1 / 2) == NULL);
  CHECK(strstr(resnetc_last_error(), "cannot allocate") != NULL);

  /* Errors are per thread and formatted. */
  CHECK(resnetc_set_error("layer %d: %s", 3, "boom") == -1);
  CHECK(strcmp(resnetc_last_error(), "layer 3: boom") == 0);

  printf("%d passed, %d failed\n", passed, failed);
  return failed != 0;
}
