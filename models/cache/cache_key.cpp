#include "models/cache/cache_key.hpp"

#include <openssl/evp.h>

#include <fstream>
#include <memory>
#include <stdexcept>

#include "models/cache/build_id.hpp"

namespace fs = std::filesystem;

namespace gm {

namespace {

// Incremental SHA-256 through OpenSSL's EVP interface.
class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
    if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1)
      throw std::runtime_error("OpenSSL: cannot start SHA-256");
  }
  void update(const void* data, size_t n) {
    if (EVP_DigestUpdate(ctx_.get(), data, n) != 1) throw std::runtime_error("OpenSSL: SHA-256 update failed");
  }
  std::string hex() {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_DigestFinal_ex(ctx_.get(), md, &n) != 1) throw std::runtime_error("OpenSSL: SHA-256 final failed");
    static const char* digits = "0123456789abcdef";
    std::string s;
    for (unsigned int i = 0; i < n; ++i) s += digits[md[i] >> 4], s += digits[md[i] & 15];
    return s;
  }

 private:
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx_;
};

}  // namespace

std::string sha256_hex(std::string_view data) {
  Sha256 h;
  h.update(data.data(), data.size());
  return h.hex();
}

std::string sha256_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string() + " to hash it");
  Sha256 h;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) h.update(buf, static_cast<size_t>(in.gcount()));
  if (in.bad()) throw std::runtime_error("error while reading " + p.string() + " to hash it");
  return h.hex();
}

CacheKey& CacheKey::add(std::string_view name, std::string_view value) {
  text_ += std::string(name) + " " + sha256_hex(value) + "\n";
  return *this;
}

CacheKey& CacheKey::add_file(std::string_view name, const fs::path& p) {
  text_ += std::string(name) + " " + sha256_file(p) + "\n";
  return *this;
}

CacheKey& CacheKey::add_build_id() {
  text_ += std::string("greenmac ") + kBuildId + "\n";
  return *this;
}

std::string CacheKey::hex() const { return sha256_hex(text_); }

}  // namespace gm
