#pragma once

#include <string>

namespace greet {

/* Where the library and its build tool ran: "tool <machine> sse3=<0|1>; target <machine> sse3=<0|1>". */
std::string where();

/* `data` compressed with the zlib it is linked with and back; throws std::runtime_error on failure. */
std::string roundtrip(const std::string &data);

}  // namespace greet
