/* threadpool.c - the worker threads behind the kernels' parallel loops.
 *
 * Halide-generated kernels call halide_do_par_for() for every parallel loop;
 * resnetc installs this pool in its place so that
 *   - resnetc_set_num_threads(n) is honoured exactly, at any time, in both
 *     directions (Halide's own pool keeps extra workers busy after a
 *     decrease);
 *   - workers spin briefly between the loops of consecutive layers before
 *     sleeping, so a network of ~70 short layers does not pay a wake-up per
 *     layer;
 *   - a loop started while the pool is busy (another model running on
 *     another thread, or a nested loop) runs serially instead of waiting.
 * Each job hands out loop indices through an atomic counter; the calling
 * thread works too.
 */
#define _GNU_SOURCE
#include "resnetc/runtime.h"
#include "runtime_internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <unistd.h>

#define MAX_THREADS 256
/* Polls of a worker's assignment before it sleeps (~0.1-0.3 ms). */
#define SPIN_POLLS 20000

typedef int (*task_fn)(void *user_context, int index, uint8_t *closure);

struct job {
  task_fn task;
  void *user_context;
  uint8_t *closure;
  int min, size;
  atomic_int next;         /* next index to hand out, relative to min */
  atomic_int pending;      /* indices not finished yet */
  atomic_int helpers_left; /* assigned workers still inside the job */
  atomic_int error;        /* first non-zero task result */
};

/* A worker touches the job only after the caller has written it completely
 * and bumped that worker's `assigned` counter; the caller reuses the job
 * only after every assigned worker has left it. */
static struct {
  pthread_mutex_t lock; /* held by the thread running a job */
  pthread_mutex_t sleep_lock;
  pthread_cond_t wake;
  struct job job;
  atomic_uint assigned[MAX_THREADS];
  int workers;        /* started so far */
  atomic_int desired; /* threads per job, the caller included; 0: default */
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER,
          .sleep_lock = PTHREAD_MUTEX_INITIALIZER,
          .wake = PTHREAD_COND_INITIALIZER};

static _Thread_local int in_task;

static void work(struct job *job) {
  in_task = 1;
  for (;;) {
    int i = atomic_fetch_add_explicit(&job->next, 1, memory_order_relaxed);
    if (i >= job->size)
      break;
    int rc = job->task(job->user_context, job->min + i, job->closure);
    if (rc != 0) {
      int none = 0;
      atomic_compare_exchange_strong(&job->error, &none, rc);
    }
    atomic_fetch_sub_explicit(&job->pending, 1, memory_order_release);
  }
  in_task = 0;
}

static void *worker_main(void *arg) {
  int id = (int)(intptr_t)arg;
  atomic_uint *mine = &pool.assigned[id];
  unsigned seen = 0; /* no job was assigned before the worker existed */
  for (;;) {
    unsigned now = seen;
    for (int i = 0; i < SPIN_POLLS && now == seen; ++i) {
      __builtin_ia32_pause();
      now = atomic_load_explicit(mine, memory_order_acquire);
    }
    if (now == seen) {
      pthread_mutex_lock(&pool.sleep_lock);
      while ((now = atomic_load_explicit(mine, memory_order_acquire)) == seen)
        pthread_cond_wait(&pool.wake, &pool.sleep_lock);
      pthread_mutex_unlock(&pool.sleep_lock);
    }
    seen = now;
    work(&pool.job);
    atomic_fetch_sub_explicit(&pool.job.helpers_left, 1, memory_order_release);
  }
  return NULL;
}

static int default_threads(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
}

int resnetc_pool_set_threads(int n) {
  if (n < 1)
    return -1;
  atomic_store(&pool.desired, n > MAX_THREADS ? MAX_THREADS : n);
  return 0;
}

int resnetc_pool_threads(void) {
  int n = atomic_load(&pool.desired);
  return n > 0 ? n : default_threads();
}

int resnetc_do_par_for(void *user_context, task_fn task, int min, int size,
                       uint8_t *closure) {
  int threads = resnetc_pool_threads();
  if (size <= 0)
    return 0;
  /* Serial when asked for, when nested, or when the pool is busy. */
  if (threads == 1 || size == 1 || in_task ||
      pthread_mutex_trylock(&pool.lock) != 0) {
    for (int i = 0; i < size; ++i) {
      int rc = task(user_context, min + i, closure);
      if (rc)
        return rc;
    }
    return 0;
  }
  int helpers = (threads - 1 < size - 1) ? threads - 1 : size - 1;
  while (pool.workers < helpers) {
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int failed = pthread_create(&t, &attr, worker_main,
                                (void *)(intptr_t)pool.workers);
    pthread_attr_destroy(&attr);
    if (failed)
      break;
    pool.workers++;
  }
  if (helpers > pool.workers)
    helpers = pool.workers;

  struct job *job = &pool.job;
  job->task = task;
  job->user_context = user_context;
  job->closure = closure;
  job->min = min;
  job->size = size;
  atomic_store(&job->next, 0);
  atomic_store(&job->pending, size);
  atomic_store(&job->helpers_left, helpers);
  atomic_store(&job->error, 0);
  for (int id = 0; id < helpers; ++id)
    atomic_fetch_add_explicit(&pool.assigned[id], 1, memory_order_release);
  if (helpers > 0) {
    pthread_mutex_lock(&pool.sleep_lock);
    pthread_cond_broadcast(&pool.wake);
    pthread_mutex_unlock(&pool.sleep_lock);
  }

  work(job);
  while (atomic_load_explicit(&job->pending, memory_order_acquire) > 0 ||
         atomic_load_explicit(&job->helpers_left, memory_order_acquire) > 0)
    __builtin_ia32_pause();
  int rc = atomic_load(&job->error);
  pthread_mutex_unlock(&pool.lock);
  return rc;
}
