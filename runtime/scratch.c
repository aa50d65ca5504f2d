/* scratch.c - kernel scratch memory without a malloc per call.
 *
 * Kernels allocate their scratch buffers (zero-padded input tiles, partial
 * sums) inside every call, often inside every parallel task. With plain
 * malloc, blocks above glibc's mmap threshold are mapped and unmapped each
 * time and page-faulted afresh, which made small kernels several times
 * slower. Each thread instead keeps its last few freed blocks and hands
 * them out again; the cache is released when the thread exits.
 */
#define _POSIX_C_SOURCE 200809L
#include "runtime_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 4
/* Bytes in front of every block: its capacity, and alignment for vectors. */
#define HEADER 128

struct cache {
  void *block[SLOTS];
  size_t size[SLOTS];
};

static pthread_key_t key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void release(void *p) {
  struct cache *c = p;
  for (int i = 0; i < SLOTS; ++i)
    free(c->block[i]);
  free(c);
}

static void make_key(void) { pthread_key_create(&key, release); }

static struct cache *thread_cache(void) {
  pthread_once(&key_once, make_key);
  struct cache *c = pthread_getspecific(key);
  if (!c) {
    c = calloc(1, sizeof *c);
    if (c && pthread_setspecific(key, c) != 0) {
      free(c);
      c = NULL;
    }
  }
  return c;
}

void *resnetc_scratch_alloc(void *user_context, size_t bytes) {
  (void)user_context;
  struct cache *c = thread_cache();
  if (c) {
    /* The smallest cached block that is large enough. */
    int best = -1;
    for (int i = 0; i < SLOTS; ++i)
      if (c->block[i] && c->size[i] >= bytes &&
          (best < 0 || c->size[i] < c->size[best]))
        best = i;
    if (best >= 0) {
      char *raw = c->block[best];
      c->block[best] = NULL;
      return raw + HEADER;
    }
  }
  void *raw = NULL;
  if (posix_memalign(&raw, HEADER, bytes + HEADER) != 0)
    return NULL;
  memcpy(raw, &bytes, sizeof bytes);
  return (char *)raw + HEADER;
}

void resnetc_scratch_free(void *user_context, void *ptr) {
  (void)user_context;
  if (!ptr)
    return;
  char *raw = (char *)ptr - HEADER;
  size_t size;
  memcpy(&size, raw, sizeof size);
  struct cache *c = thread_cache();
  if (!c) {
    free(raw);
    return;
  }
  /* Keep the block in a free slot, else in place of a smaller one. */
  int slot = -1;
  for (int i = 0; i < SLOTS; ++i)
    if (!c->block[i]) {
      slot = i;
      break;
    }
  if (slot < 0) {
    slot = 0;
    for (int i = 1; i < SLOTS; ++i)
      if (c->size[i] < c->size[slot])
        slot = i;
    if (c->size[slot] >= size) {
      free(raw);
      return;
    }
    free(c->block[slot]);
  }
  c->block[slot] = raw;
  c->size[slot] = size;
}
