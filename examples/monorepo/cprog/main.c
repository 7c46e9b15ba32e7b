/* Calls each kind of function the Go library exports, and the C library built on it. */
#include <stdio.h>

#include "clib/stats.h"
#include "libgolib.h"

int main(void) {
    char name[] = "bazel";
    char *greeting = Greet(name);
    golib_point a = {1.0, 2.0};
    golib_point b = {3.0, 6.0};
    golib_point mid = Midpoint(a, b);

    printf("Add(40, 2) = %lld\n", (long long)Add(40, 2));
    printf("Greet = %s\n", greeting);
    printf("Midpoint = %g,%g\n", mid.x, mid.y);
    printf("SumOfSquares(10) = %lld\n", (long long)stats_sum_of_squares(10));
    FreeString(greeting);
    return 0;
}
