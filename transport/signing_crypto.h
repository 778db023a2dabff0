// The digests the signatures need, over OpenSSL's libcrypto (kept out of this
// header). Inputs and outputs are byte strings; hex is lower case.
#pragma once

#include <string>
#include <string_view>

namespace conform::transport::crypto {

std::string hmac_sha1(std::string_view key, std::string_view data);    // 20 bytes
std::string hmac_sha256(std::string_view key, std::string_view data);  // 32 bytes
std::string sha256(std::string_view data);                             // 32 bytes
std::string md5(std::string_view data);                                // 16 bytes
std::string base64(std::string_view bytes);                            // RFC 4648, padded
std::string hex(std::string_view bytes);                               // lower case

}  // namespace conform::transport::crypto
