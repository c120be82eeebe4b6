/* rng: a small deterministic PRNG (xoshiro256** seeded by splitmix64), so generated
 * data is identical on every machine for the same seed. */
#ifndef CATLOG_RNG_H
#define CATLOG_RNG_H

#include <stdint.h>

typedef struct { uint64_t s[4]; } rng;

void rng_seed(rng *r, uint64_t seed);
uint64_t rng_next(rng *r);
/* Uniform in [0, n). n > 0. */
uint32_t rng_below(rng *r, uint32_t n);
/* Uniform in [0, 1). */
double rng_unit(rng *r);

#endif
