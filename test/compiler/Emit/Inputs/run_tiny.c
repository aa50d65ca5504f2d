/* Uses the API of the library compiled from c_api.textproto; builds as C99
 * and as C++ to show the header is valid in both. */
#define _POSIX_C_SOURCE 200112L /* posix_memalign */
#include "tiny.h"

#include <stdio.h>
#include <stdlib.h>

static void print(const char *what, const float *y) {
  printf("%s:", what);
  for (int i = 0; i < TINY_OUTPUT_SIZE; ++i)
    printf(" %.3f", y[i]);
  printf("\n");
}

int main(void) {
  float x[TINY_INPUT_SIZE], y[TINY_OUTPUT_SIZE];
  for (int i = 0; i < TINY_INPUT_SIZE; ++i)
    x[i] = (float)i;

  tiny_model *m = tiny_create();
  if (!m || tiny_set_num_threads(2) != 0 || tiny_run(m, x, y) != 0) {
    fprintf(stderr, "error: %s\n", tiny_last_error());
    return 1;
  }
  print("output", y);
  printf("null input: %d %s\n", tiny_run(m, NULL, y), tiny_last_error());
  tiny_destroy(m);

  /* The caller may own all memory. */
  void *arena = NULL;
  if (posix_memalign(&arena, TINY_ARENA_ALIGNMENT,
                     TINY_ARENA_SIZE > 0 ? TINY_ARENA_SIZE : 1) != 0)
    return 1;
  m = tiny_create_with_arena(arena);
  if (!m || tiny_run(m, x, y) != 0)
    return 1;
  print("caller arena", y);
  tiny_destroy(m);
  free(arena);
  return 0;
}
