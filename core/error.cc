#include "core/error.h"

namespace conform {

std::string Error::message() const {
  if (where.empty()) return what;
  return where + ": " + what;
}

}  // namespace conform
