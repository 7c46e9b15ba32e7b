#include <stdio.h>
#include <string.h>
#include <zlib.h>

/* Compresses a line and back, with the zlib of the conda env. */
int main(void) {
  const char *text = "golib monorepo, golib monorepo, golib monorepo";
  unsigned char packed[128], unpacked[128];
  uLongf packed_len = sizeof packed, unpacked_len = sizeof unpacked;
  if (compress(packed, &packed_len, (const Bytef *)text, strlen(text) + 1) != Z_OK) return 1;
  if (uncompress(unpacked, &unpacked_len, packed, packed_len) != Z_OK || strcmp((char *)unpacked, text) != 0) return 2;
  printf("zlib %s: %lu bytes -> %lu and back\n", zlibVersion(), (unsigned long)(strlen(text) + 1), (unsigned long)packed_len);
  return 0;
}
