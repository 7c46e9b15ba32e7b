#ifndef CLIB_STATS_H
#define CLIB_STATS_H

#include <stdint.h>

/* 1^2 + 2^2 + ... + n^2, summed by the Go library through a C callback. */
int64_t stats_sum_of_squares(int64_t n);

#endif
