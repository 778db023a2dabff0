#include "transport/throttle.h"

#include <algorithm>
#include <array>
#include <charconv>

#include "transport/dialect.h"

namespace conform::transport {

namespace {

using std::chrono::sys_seconds;

// Reads `width` digits (0: one or more) at `s`, advancing it.
bool digits(std::string_view& s, int width, int& out) {
  std::size_t n = 0;
  while (n < s.size() && s[n] >= '0' && s[n] <= '9' && (width == 0 || n < static_cast<std::size_t>(width))) ++n;
  if (n == 0 || (width != 0 && n != static_cast<std::size_t>(width)) || n > 9) return false;
  std::from_chars(s.data(), s.data() + n, out);
  s.remove_prefix(n);
  return true;
}

bool literal(std::string_view& s, std::string_view lit) {
  if (!s.starts_with(lit)) return false;
  s.remove_prefix(lit.size());
  return true;
}

bool month(std::string_view& s, unsigned& out) {
  static constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (unsigned i = 0; i < kMonths.size(); ++i) {
    if (literal(s, kMonths[i])) {
      out = i + 1;
      return true;
    }
  }
  return false;
}

bool clock_time(std::string_view& s, int& h, int& m, int& sec) {
  return digits(s, 2, h) && literal(s, ":") && digits(s, 2, m) && literal(s, ":") && digits(s, 2, sec) && h < 24 &&
         m < 60 && sec <= 60;
}

std::optional<sys_seconds> make_time(int y, unsigned mon, int d, int h, int m, int sec) {
  std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(mon), std::chrono::day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return std::nullopt;
  return sys_seconds(std::chrono::sys_days(ymd)) + std::chrono::hours(h) + std::chrono::minutes(m) +
         std::chrono::seconds(sec);
}

}  // namespace

bool is_throttling_code(const std::string& code) {
  return code == "Throttling" || code.rfind("Throttling.", 0) == 0 || code == "APIG.0308" || code == "APIGW.0308";
}

bool is_throttling(const HttpResponse& r) {
  if (r.status == 429) return true;
  if (r.status < 400 || r.body.empty()) return false;
  // Every throttling code has "Throttling" or "0308" in it; a body with neither
  // (and no escape that could spell one) needs no parse, and most do not.
  std::string_view b = r.body;
  bool could = b.find("Throttling") != b.npos || b.find("0308") != b.npos || b.find('\\') != b.npos ||
               b.find('&') != b.npos;
  if (!could) return false;
  // The rpc reading covers {"Code"} JSON and <Error><Code> XML (roa's layout too);
  // the huawei reading {"error_code"}.
  for (Dialect d : {Dialect::aliyun_rpc, Dialect::huawei_rest}) {
    if (is_throttling_code(read_reply(d, r).code)) return true;
  }
  return false;
}

// RFC 9110 section 5.6.7: IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", and the two
// obsolete forms a recipient must still read, RFC 850 "Sunday, 06-Nov-94 08:49:37
// GMT" (a two-digit year within 50 years of now: 19xx or 20xx, read as 20xx below
// 70) and asctime "Sun Nov  6 08:49:37 1994".
std::optional<sys_seconds> parse_http_date(std::string_view s) {
  int y = 0, d = 0, h = 0, m = 0, sec = 0;
  unsigned mon = 0;
  const std::size_t comma = s.find(',');
  if (comma == std::string_view::npos) {  // asctime
    std::string_view rest = s.size() > 4 ? s.substr(4) : std::string_view();
    if (s.size() < 4 || s[3] != ' ' || !month(rest, mon) || !literal(rest, " ")) return std::nullopt;
    if (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
    if (!digits(rest, 0, d) || d > 31 || !literal(rest, " ") || !clock_time(rest, h, m, sec) || !literal(rest, " ") ||
        !digits(rest, 4, y) || !rest.empty()) {
      return std::nullopt;
    }
    return make_time(y, mon, d, h, m, sec);
  }
  std::string_view rest = s.substr(comma + 1);
  if (!literal(rest, " ") || !digits(rest, 2, d)) return std::nullopt;
  if (literal(rest, " ")) {  // IMF-fixdate
    if (!month(rest, mon) || !literal(rest, " ") || !digits(rest, 4, y)) return std::nullopt;
  } else {  // RFC 850
    if (!literal(rest, "-") || !month(rest, mon) || !literal(rest, "-") || !digits(rest, 2, y)) return std::nullopt;
    y += y < 70 ? 2000 : 1900;
  }
  if (!literal(rest, " ") || !clock_time(rest, h, m, sec) || !literal(rest, " GMT") || !rest.empty()) return std::nullopt;
  return make_time(y, mon, d, h, m, sec);
}

std::chrono::milliseconds backoff(int attempt, const HttpResponse& r, const BackoffPolicy& p,
                                  std::chrono::system_clock::time_point now) {
  long long wait = p.base_ms;
  for (int i = 1; i < attempt && wait < p.max_ms; ++i) wait *= 2;
  if (const std::string* after = r.header("Retry-After")) {
    long long seconds = 0;
    auto [ptr, ec] = std::from_chars(after->data(), after->data() + after->size(), seconds);
    if (ec == std::errc() && ptr == after->data() + after->size() && seconds >= 0) {
      wait = seconds > 86400 ? 86400000LL : seconds * 1000;  // the server's word beats our guess
    } else if (auto when = parse_http_date(*after)) {
      // A date is counted from the server's own Date when it sent one, so that a
      // skewed local clock does not stretch or cut the wait.
      const std::string* date = r.header("Date");
      auto server_now = date ? parse_http_date(*date) : std::nullopt;
      auto from = server_now ? *server_now : std::chrono::time_point_cast<std::chrono::seconds>(now);
      wait = std::chrono::duration_cast<std::chrono::milliseconds>(*when - from).count();
    }
  }
  return std::chrono::milliseconds(std::clamp<long long>(wait, 0, p.max_ms));
}

}  // namespace conform::transport
