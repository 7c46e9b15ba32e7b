#include "clib/stats.h"

#include "libgolib.h"

static int64_t square(int64_t value, void *user_data) {
    (void)user_data;
    return value * value;
}

int64_t stats_sum_of_squares(int64_t n) {
    return SumMapped(n, square, NULL);
}
