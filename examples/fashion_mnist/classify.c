/* classify.c - classify Fashion-MNIST images with a resnetc-compiled model.
 *
 *   classify IMAGES.idx3 LABELS.idx1 [THREADS [PREDICTIONS.bin]]
 *
 * Links against the library `resnetc compile fmnist_resnet.onnx --name fmnist
 * --batch B` writes, plus libresnetc_runtime.a. Reads the (uncompressed) IDX
 * files, feeds the images to the model B at a time as pixels / 255, and
 * prints the top-1 accuracy and throughput. Optionally writes one byte per
 * image: the predicted class.
 */
#define _POSIX_C_SOURCE 200809L
#include "fmnist.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CLASSES 10

/* Reads a whole uint8 IDX file; checks the magic number and the rank. */
static uint8_t *read_idx(const char *path, int rank, uint32_t dims[3]) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return NULL;
  }
  uint8_t header[16];
  size_t header_bytes = 4 + 4 * (size_t)rank;
  if (fread(header, 1, header_bytes, f) != header_bytes || header[0] ||
      header[1] || header[2] != 0x08 || header[3] != rank) {
    fprintf(stderr, "%s: not a uint8 IDX file of rank %d\n", path, rank);
    fclose(f);
    return NULL;
  }
  size_t count = 1;
  for (int i = 0; i < rank; ++i) {
    const uint8_t *d = header + 4 + 4 * i;
    dims[i] = (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 |
              (uint32_t)d[2] << 8 | d[3];
    count *= dims[i];
  }
  uint8_t *data = malloc(count);
  if (!data || fread(data, 1, count, f) != count) {
    fprintf(stderr, "%s: truncated\n", path);
    free(data);
    data = NULL;
  }
  fclose(f);
  return data;
}

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s IMAGES.idx3 LABELS.idx1 [THREADS [PREDICTIONS]]\n",
            argv[0]);
    return 2;
  }
  int threads = argc > 3 ? atoi(argv[3]) : 1;
  uint32_t idims[3], ldims[3];
  uint8_t *images = read_idx(argv[1], 3, idims);
  uint8_t *labels = read_idx(argv[2], 1, ldims);
  if (!images || !labels)
    return 1;
  const size_t pixels = FMNIST_INPUT_SIZE / FMNIST_BATCH;
  if (idims[0] != ldims[0] || (size_t)idims[1] * idims[2] != pixels ||
      FMNIST_OUTPUT_SIZE != FMNIST_BATCH * CLASSES) {
    fprintf(stderr, "the data does not fit the compiled model\n");
    return 1;
  }
  const size_t n = idims[0];

  fmnist_model *model = fmnist_create();
  if (!model || fmnist_set_num_threads(threads) != 0) {
    fprintf(stderr, "error: %s\n", fmnist_last_error());
    return 1;
  }
  float *input = malloc(sizeof(float) * FMNIST_INPUT_SIZE);
  float *logits = malloc(sizeof(float) * FMNIST_OUTPUT_SIZE);
  uint8_t *predicted = malloc(n);
  if (!input || !logits || !predicted)
    return 1;

  size_t correct = 0;
  double start = seconds();
  for (size_t first = 0; first < n; first += FMNIST_BATCH) {
    /* The last batch may be partial: the rest of it is zeros. */
    size_t count = n - first < FMNIST_BATCH ? n - first : FMNIST_BATCH;
    memset(input, 0, sizeof(float) * FMNIST_INPUT_SIZE);
    for (size_t i = 0; i < count * pixels; ++i)
      input[i] = images[first * pixels + i] / 255.0f;
    if (fmnist_run(model, input, logits) != 0) {
      fprintf(stderr, "error: %s\n", fmnist_last_error());
      return 1;
    }
    for (size_t i = 0; i < count; ++i) {
      const float *row = logits + i * CLASSES;
      int best = 0;
      for (int c = 1; c < CLASSES; ++c)
        if (row[c] > row[best])
          best = c;
      predicted[first + i] = (uint8_t)best;
      correct += best == labels[first + i];
    }
  }
  double elapsed = seconds() - start;
  printf("resnetc: %zu images, batch %d, %d thread%s: accuracy %.2f %% "
         "(%zu correct), %.0f images/s\n",
         n, FMNIST_BATCH, threads, threads == 1 ? "" : "s",
         100.0 * (double)correct / (double)n, correct, (double)n / elapsed);

  if (argc > 4) {
    FILE *f = fopen(argv[4], "wb");
    if (!f || fwrite(predicted, 1, n, f) != n) {
      perror(argv[4]);
      return 1;
    }
    fclose(f);
  }
  fmnist_destroy(model);
  free(input);
  free(logits);
  free(predicted);
  free(images);
  free(labels);
  return 0;
}
