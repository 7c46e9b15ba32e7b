/* Writes machine.h: the machine this tool ran on, which is the build machine's. */
#include <stdio.h>

#include "machine.inc"

int main(void) {
  printf("#define TOOL \"tool %s sse3=%d\"\n", machine(), tuned);
  return 0;
}
