// Shared by the per-dialect signers (signing_*.cc); not for other callers.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/error.h"
#include "transport/http.h"
#include "transport/signing.h"

namespace conform::transport::detail {

std::string iso8601(std::chrono::sys_seconds t);  // 2016-02-23T12:46:24Z
std::string rfc1123(std::chrono::sys_seconds t);  // Tue, 04 Dec 2018 03:55:31 GMT
std::string sdk_date(std::chrono::sys_seconds t); // 20191115T033655Z

void add_header_if_absent(HttpRequest& r, std::string_view name, std::string value);
void remove_header(HttpRequest& r, std::string_view name);

Result<void> sign_aliyun_rpc(const Credentials& creds, const SigningContext& ctx, HttpRequest& r);
Result<void> sign_aliyun_roa(const Credentials& creds, const SigningContext& ctx, HttpRequest& r);
Result<void> sign_huawei(const Credentials& creds, const SigningContext& ctx, HttpRequest& r);

}  // namespace conform::transport::detail
