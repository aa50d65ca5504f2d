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
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <unistd.h>

#define MAX_THREADS 256
/* Polls of a worker's wake-up counter before it sleeps (~0.1 ms). */
#define SPIN_POLLS 4000
/* A job's `state`: the number of workers inside it, plus this bit once the
 * caller has closed it to latecomers. */
#define CLOSED (1 << 30)

typedef int (*task_fn)(void *user_context, int index, uint8_t *closure);

struct job {
  task_fn task;
  void *user_context;
  uint8_t *closure;
  int min, size;
  atomic_int next;    /* next index to hand out, relative to min */
  atomic_int pending; /* indices not finished yet */
  atomic_int state;   /* workers inside | CLOSED */
  atomic_int error;   /* first non-zero task result */
};

/* The caller never waits for a worker that has not started: once every index
 * is done it closes the job, and a worker that wakes late sees CLOSED and
 * goes back to waiting. So an oversubscribed machine (a descheduled worker)
 * costs parallelism, never a stall. */
static struct {
  pthread_mutex_t lock; /* held by the thread running a job */
  pthread_mutex_t sleep_lock;
  pthread_cond_t wake;
  pthread_cond_t park; /* workers beyond the thread count wait here */
  struct job job;
  atomic_uint generation; /* bumped for every job */
  atomic_int stopping;    /* set once, at process exit or unload */
  int workers;            /* started so far */
  pthread_t threads[MAX_THREADS];
  atomic_int desired;     /* threads per job, the caller included; 0: default */
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER,
          .sleep_lock = PTHREAD_MUTEX_INITIALIZER,
          .wake = PTHREAD_COND_INITIALIZER,
          .park = PTHREAD_COND_INITIALIZER,
          .job = {.state = CLOSED}};

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

/* Waits politely: spin a little, then give the core away. */
static void backoff(int *spins) {
  if (++*spins < 2000)
    __builtin_ia32_pause();
  else
    sched_yield();
}

static void *worker_main(void *arg) {
  int id = (int)(intptr_t)arg;
  unsigned seen = 0; /* no job existed before the first worker */
  for (;;) {
    unsigned now = atomic_load_explicit(&pool.generation, memory_order_acquire);
    for (int i = 0; i < SPIN_POLLS && now == seen; ++i) {
      __builtin_ia32_pause();
      now = atomic_load_explicit(&pool.generation, memory_order_acquire);
    }
    if (now == seen) {
      pthread_mutex_lock(&pool.sleep_lock);
      while ((now = atomic_load_explicit(&pool.generation,
                                         memory_order_acquire)) == seen &&
             !atomic_load(&pool.stopping))
        pthread_cond_wait(&pool.wake, &pool.sleep_lock);
      pthread_mutex_unlock(&pool.sleep_lock);
    }
    seen = now;
    if (atomic_load(&pool.stopping))
      return NULL;
    /* After resnetc_set_num_threads lowered the count, extra workers park
     * until it rises again: neither spinning nor woken by every job, they
     * leave the cores to the workers in use. */
    if (id >= resnetc_pool_threads() - 1) {
      pthread_mutex_lock(&pool.sleep_lock);
      while (!atomic_load(&pool.stopping) && id >= resnetc_pool_threads() - 1)
        pthread_cond_wait(&pool.park, &pool.sleep_lock);
      pthread_mutex_unlock(&pool.sleep_lock);
      if (atomic_load(&pool.stopping))
        return NULL;
      seen = atomic_load_explicit(&pool.generation, memory_order_acquire);
      continue;
    }
    struct job *job = &pool.job;
    if (atomic_fetch_add_explicit(&job->state, 1, memory_order_acquire) &
        CLOSED) {
      atomic_fetch_sub_explicit(&job->state, 1, memory_order_release);
      continue;
    }
    work(job);
    atomic_fetch_sub_explicit(&job->state, 1, memory_order_release);
  }
  return NULL;
}

/* The cores this process may run on (its affinity mask), not all cores of
 * the machine: more threads than cores only adds contention. */
static int default_threads(void) {
  cpu_set_t set;
  long n = sched_getaffinity(0, sizeof set, &set) == 0
               ? CPU_COUNT(&set)
               : sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
}

/* Wakes the workers and waits for them to exit, so that no thread of a
 * library that is being unloaded keeps running (and leak checkers see every
 * thread joined). Runs at exit and at dlclose. */
__attribute__((destructor)) static void stop_workers(void) {
  pthread_mutex_lock(&pool.lock);
  atomic_store(&pool.stopping, 1);
  pthread_mutex_lock(&pool.sleep_lock);
  atomic_fetch_add(&pool.generation, 1);
  pthread_cond_broadcast(&pool.wake);
  pthread_cond_broadcast(&pool.park);
  pthread_mutex_unlock(&pool.sleep_lock);
  for (int i = 0; i < pool.workers; ++i)
    pthread_join(pool.threads[i], NULL);
  pool.workers = 0;
  pthread_mutex_unlock(&pool.lock);
}

int resnetc_pool_set_threads(int n) {
  if (n < 1)
    return -1;
  atomic_store(&pool.desired, n > MAX_THREADS ? MAX_THREADS : n);
  pthread_mutex_lock(&pool.sleep_lock);
  pthread_cond_broadcast(&pool.park);
  pthread_mutex_unlock(&pool.sleep_lock);
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
  /* Workers are started lazily, up to the thread count. */
  int helpers = (threads - 1 < size - 1) ? threads - 1 : size - 1;
  while (pool.workers < helpers && !atomic_load(&pool.stopping)) {
    if (pthread_create(&pool.threads[pool.workers], NULL, worker_main,
                       (void *)(intptr_t)pool.workers) != 0)
      break;
    pool.workers++;
  }

  struct job *job = &pool.job;
  int spins = 0;
  /* Let workers still checking the previous (closed) job step out. */
  while (atomic_load_explicit(&job->state, memory_order_acquire) != CLOSED)
    backoff(&spins);
  job->task = task;
  job->user_context = user_context;
  job->closure = closure;
  job->min = min;
  job->size = size;
  atomic_store(&job->next, 0);
  atomic_store(&job->pending, size);
  atomic_store(&job->error, 0);
  int expected = CLOSED;
  while (!atomic_compare_exchange_weak_explicit(
      &job->state, &expected, 0, memory_order_release, memory_order_relaxed)) {
    expected = CLOSED;
    backoff(&spins);
  }
  pthread_mutex_lock(&pool.sleep_lock);
  atomic_fetch_add_explicit(&pool.generation, 1, memory_order_release);
  pthread_cond_broadcast(&pool.wake);
  pthread_mutex_unlock(&pool.sleep_lock);

  work(job);
  spins = 0;
  while (atomic_load_explicit(&job->pending, memory_order_acquire) > 0)
    backoff(&spins);
  atomic_fetch_or_explicit(&job->state, CLOSED, memory_order_acq_rel);
  /* Workers already inside have found no index left; wait until they are
   * out so the job can be reused. */
  while (atomic_load_explicit(&job->state, memory_order_acquire) != CLOSED)
    backoff(&spins);
  int rc = atomic_load(&job->error);
  pthread_mutex_unlock(&pool.lock);
  return rc;
}
