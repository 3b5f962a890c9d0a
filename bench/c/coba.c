/*
 * COBA benchmark (Vogels & Abbott 2005, Brette et al. 2007) as a plain C loop: the reference
 * spikeworld's bench compares itself with (bench/figures/cReference.ts builds and runs this).
 * Same model as examples/networks/coba.ts: 4000 conductance LIF neurons (3200 exc, 800 inh),
 * 2 % connectivity, dt 0.1 ms, explicit Euler, one-step synaptic delay, 5 ms refractory period.
 *
 *   gcc -O3 -march=native -DREAL=float -o coba coba.c -lm
 *   ./coba <duration_ms> <seed>
 *   -> {"simulate_s": ..., "rate_hz": ..., "build_s": ...}
 *
 * Subnormals: conductances are clamped to 0 explicitly when |g| < REAL_MIN (FLT_MIN or DBL_MIN)
 * rather than relying on -ffast-math's FTZ, so the arithmetic stays IEEE and the float and double
 * builds use the same flags. (In practice the ~1300 Hz of input per neuron keeps g far above.)
 */
#define _POSIX_C_SOURCE 199309L /* clock_gettime under -std=c99 */

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifndef REAL
#define REAL double
#endif

enum { N = 4000, N_EXC = 3200, REFRACTORY_STEPS = 50, DETECT_BLOCK = 32 };
/* Spike detection walks whole blocks: C99 has no _Static_assert, so a negative array size fails instead. */
typedef char detect_block_divides_n[N % DETECT_BLOCK == 0 ? 1 : -1];

static const double DT_MS = 0.1;
static const double CONNECTION_PROBABILITY = 0.02;
static const REAL W_EXC = (REAL)0.6;
static const REAL W_INH = (REAL)6.7;

/* xorshift64*: small, seeded, good enough for initial values and connectivity. */
static uint64_t rng_state;

static uint64_t rng_next(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 2685821657736338717ULL;
}

/* Uniform in (0, 1): never 0, so log() is safe. */
static double rng_uniform(void) { return ((double)(rng_next() >> 11) + 0.5) * (1.0 / 9007199254740992.0); }

/* Box-Muller; the second value of each pair is thrown away (not on the hot path). */
static double rng_normal(double mean, double sd) {
  const double r = sqrt(-2.0 * log(rng_uniform()));
  return mean + sd * r * cos(6.283185307179586 * rng_uniform());
}

static double seconds_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void *checked_malloc(size_t bytes) {
  void *p = malloc(bytes);
  if (!p) {
    fprintf(stderr, "coba: out of memory\n");
    exit(1);
  }
  return p;
}

/*
 * CSR by pre neuron: row_start[pre] .. row_start[pre + 1] index post[]. Each (pre, post) pair is
 * kept with probability p (self-connections allowed); drawing the gap to the next kept pair from
 * the geometric distribution gives exactly that, with ~80 draws per row instead of 4000.
 */
static void build_connectivity(uint32_t **row_start_out, uint32_t **post_out) {
  uint32_t *row_start = checked_malloc((N + 1) * sizeof *row_start);
  size_t capacity = (size_t)(N * N * CONNECTION_PROBABILITY * 1.1) + 1024;
  uint32_t *post = checked_malloc(capacity * sizeof *post);
  const double log_q = log1p(-CONNECTION_PROBABILITY);
  size_t count = 0;
  for (uint32_t pre = 0; pre < N; pre++) {
    row_start[pre] = (uint32_t)count;
    for (double j = floor(log(rng_uniform()) / log_q); j < N; j += 1.0 + floor(log(rng_uniform()) / log_q)) {
      if (count == capacity) {
        capacity *= 2;
        post = realloc(post, capacity * sizeof *post);
        if (!post) {
          fprintf(stderr, "coba: out of memory\n");
          exit(1);
        }
      }
      post[count++] = (uint32_t)j;
    }
  }
  row_start[N] = (uint32_t)count;
  *row_start_out = row_start;
  *post_out = post;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: coba <duration_ms> <seed>\n");
    return 2;
  }
  const double duration_ms = atof(argv[1]);
  const long steps = lround(duration_ms / DT_MS);
  /* Seed 0 would stick xorshift at 0; mix the seed so nearby seeds give unrelated streams. */
  rng_state = (uint64_t)strtoull(argv[2], NULL, 10) * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL;

  REAL *v = checked_malloc(N * sizeof *v);
  REAL *g_exc = checked_malloc(N * sizeof *g_exc);
  REAL *g_inh = checked_malloc(N * sizeof *g_inh);
  /* Steps left in the refractory period (0 = free to integrate and spike). */
  int32_t *refractory = checked_malloc(N * sizeof *refractory);
  for (int i = 0; i < N; i++) {
    v[i] = (REAL)rng_normal(-55.0, 5.0);
    g_exc[i] = (REAL)rng_normal(4.0, 1.5);
    g_inh[i] = (REAL)rng_normal(20.0, 12.0);
    refractory[i] = 0;
  }

  const double build_start = seconds_now();
  uint32_t *row_start, *post;
  build_connectivity(&row_start, &post);
  const double build_s = seconds_now() - build_start;

  /* Parameters (mV, ms), with dt/tau folded into constants as a code generator would. */
  const REAL El = -60, Vr = -60, Erev_exc = 0, Erev_inh = -80, Vt = -50, I = 20;
  const REAL dt_tau = (REAL)(DT_MS / 20.0), dt_tau_exc = (REAL)(DT_MS / 5.0), dt_tau_inh = (REAL)(DT_MS / 10.0);
  const REAL g_min = (sizeof(REAL) == sizeof(float)) ? (REAL)FLT_MIN : (REAL)DBL_MIN;

  /* Spikes of the previous step (delivered now) and of this step (detected now); swapped. */
  uint32_t *spiked = checked_malloc(N * sizeof *spiked), *spiking = checked_malloc(N * sizeof *spiking);
  uint32_t n_spiked = 0;
  uint64_t total_spikes = 0;

  const double sim_start = seconds_now();
  for (long s = 0; s < steps; s++) {
    /* 1. Deliver the previous step's spikes (one-step delay). */
    for (uint32_t k = 0; k < n_spiked; k++) {
      const uint32_t pre = spiked[k];
      REAL *restrict g = pre < N_EXC ? g_exc : g_inh;
      const REAL w = pre < N_EXC ? W_EXC : W_INH;
      for (uint32_t j = row_start[pre]; j < row_start[pre + 1]; j++) g[post[j]] += w;
    }

    /* 2. Integrate: every increment from the old values; v frozen while refractory. No branches,
     *    so gcc vectorizes this loop (check with -fopt-info-vec). */
    for (int i = 0; i < N; i++) {
      const REAL vi = v[i], ge = g_exc[i], gi = g_inh[i];
      const REAL dv = dt_tau * ((El - vi) + ge * (Erev_exc - vi) + gi * (Erev_inh - vi) + I);
      const int32_t r = refractory[i];
      v[i] = r > 0 ? vi : vi + dv;
      refractory[i] = r > 0 ? r - 1 : 0;
      const REAL ge_new = ge - dt_tau_exc * ge, gi_new = gi - dt_tau_inh * gi;
      /* Compare both signs rather than fabs(), which would promote float to double. */
      g_exc[i] = (ge_new < g_min && ge_new > -g_min) ? 0 : ge_new;
      g_inh[i] = (gi_new < g_min && gi_new > -g_min) ? 0 : gi_new;
    }

    /* 3. Detect spikes in a separate pass. Only ~8 of 4000 neurons spike per step, so a vectorized
     *    test per block skips almost everything; a block with a spike gets a branch-free compaction
     *    of its indices. (A plain scalar compaction over all N made this pass cost ~2x the rest.) */
    uint32_t n = 0;
    for (int b = 0; b < N; b += DETECT_BLOCK) {
      int any = 0;
      for (int i = b; i < b + DETECT_BLOCK; i++) any |= (v[i] > Vt) & (refractory[i] == 0);
      if (!any) continue;
      for (int i = b; i < b + DETECT_BLOCK; i++) {
        spiking[n] = (uint32_t)i;
        n += (v[i] > Vt) & (refractory[i] == 0);
      }
    }
    for (uint32_t k = 0; k < n; k++) {
      v[spiking[k]] = Vr;
      refractory[spiking[k]] = REFRACTORY_STEPS;
    }
    total_spikes += n;

    uint32_t *tmp = spiked;
    spiked = spiking;
    spiking = tmp;
    n_spiked = n;
  }
  const double simulate_s = seconds_now() - sim_start;

  const double rate_hz = steps > 0 ? (double)total_spikes / N / (steps * DT_MS / 1000.0) : 0.0;
  printf("{\"simulate_s\": %.6f, \"rate_hz\": %.4f, \"build_s\": %.6f}\n", simulate_s, rate_hz, build_s);

  free(v), free(g_exc), free(g_inh), free(refractory), free(row_start), free(post), free(spiked), free(spiking);
  return 0;
}
