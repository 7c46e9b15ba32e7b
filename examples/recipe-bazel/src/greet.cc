#include "greet.h"

#include <stdexcept>
#include <vector>

#include <zlib.h>

#include "machine.h"
#include "machine.inc"

namespace greet {

std::string where() {
  return std::string(TOOL) + "; target " + machine() + " sse3=" + std::to_string(tuned);
}

std::string roundtrip(const std::string &data) {
  uLongf packed_size = compressBound(data.size());
  std::vector<Bytef> packed(packed_size);
  if (compress(packed.data(), &packed_size, reinterpret_cast<const Bytef *>(data.data()), data.size()) != Z_OK)
    throw std::runtime_error("compress failed");
  std::string out(data.size(), '\0');
  uLongf out_size = out.size();
  if (uncompress(reinterpret_cast<Bytef *>(&out[0]), &out_size, packed.data(), packed_size) != Z_OK)
    throw std::runtime_error("uncompress failed");
  out.resize(out_size);
  return out;
}

}  // namespace greet
