#include "models/dnn/idx.hpp"

#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

namespace gm {
namespace fs = std::filesystem;

namespace {

uint32_t be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

// Inflates a gzip stream (possibly several members, as `cat a.gz b.gz` makes) held in memory.
std::vector<uint8_t> gunzip(const std::vector<uint8_t>& in, const std::string& origin) {
  std::vector<uint8_t> out;
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 32) != Z_OK)  // 15 + 32: gzip or zlib header, detected
    throw DataError("'" + origin + "': cannot initialise zlib");
  zs.next_in = const_cast<Bytef*>(in.data());
  zs.avail_in = static_cast<uInt>(in.size());
  std::vector<uint8_t> buf(1 << 16);
  int rc = Z_OK;
  while (true) {
    zs.next_out = buf.data();
    zs.avail_out = static_cast<uInt>(buf.size());
    rc = inflate(&zs, Z_NO_FLUSH);
    out.insert(out.end(), buf.data(), buf.data() + (buf.size() - zs.avail_out));
    if (rc == Z_STREAM_END) {
      if (zs.avail_in == 0) break;
      inflateReset(&zs);  // next gzip member
      continue;
    }
    if (rc != Z_OK) break;
    if (zs.avail_in == 0 && zs.avail_out != 0) {  // input ran out before the end of the stream
      rc = Z_DATA_ERROR;
      break;
    }
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END)
    throw DataError("'" + origin + "': corrupt or truncated gzip data" + (zs.msg ? std::string(" (") + zs.msg + ")" : ""));
  return out;
}

}  // namespace

uint64_t IdxArray::item_size() const {
  uint64_t n = 1;
  for (size_t i = 1; i < dims.size(); ++i) n *= dims[i];
  return n;
}

std::vector<uint8_t> read_maybe_gzip(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    throw DataError("data file '" + path.string() + "' does not exist; give --data DIR or set GREENMAC_FASHION_MNIST");
  std::ifstream f(path, std::ios::binary);
  if (!f) throw DataError("cannot read data file '" + path.string() + "'");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b) return gunzip(bytes, path.string());
  return bytes;
}

IdxArray parse_idx(const std::vector<uint8_t>& bytes, const std::string& origin, int want_dims) {
  if (bytes.size() < 4)
    throw DataError("'" + origin + "' is too short for an IDX header (" + std::to_string(bytes.size()) + " bytes)");
  if (bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 0x08)
    throw DataError("'" + origin + "' is not an unsigned-byte IDX file (bad magic number " + hex32(be32(bytes.data())) +
                    ", expected 0x000008NN with NN the dimension count)");
  const int ndims = bytes[3];
  if (ndims < 1 || (want_dims && ndims != want_dims))
    throw DataError("'" + origin + "' has " + std::to_string(ndims) + " dimensions, expected " +
                    std::to_string(want_dims ? want_dims : 1));
  const size_t header = 4 + 4 * static_cast<size_t>(ndims);
  if (bytes.size() < header)
    throw DataError("'" + origin + "' is truncated inside its header (" + std::to_string(bytes.size()) + " bytes)");
  IdxArray arr;
  uint64_t total = 1;
  for (int i = 0; i < ndims; ++i) {
    arr.dims.push_back(be32(bytes.data() + 4 + 4 * i));
    total *= arr.dims.back();
  }
  if (bytes.size() - header < total)
    throw DataError("'" + origin + "' is truncated: the header promises " + std::to_string(total) + " data bytes, the file has " +
                    std::to_string(bytes.size() - header));
  arr.data.assign(bytes.begin() + header, bytes.begin() + header + total);
  return arr;
}

IdxArray read_idx(const fs::path& path, int want_dims) { return parse_idx(read_maybe_gzip(path), path.string(), want_dims); }

fs::path fashion_mnist_dir(const std::string& override_dir) {
  if (!override_dir.empty()) return override_dir;
  if (const char* e = std::getenv("GREENMAC_FASHION_MNIST"); e && *e) return e;
  return "/usr/share/datasets/fashion-mnist";
}

namespace {

fs::path find_file(const fs::path& dir, const std::string& stem) {
  for (const fs::path& p : {dir / (stem + ".gz"), dir / stem})
    if (fs::is_regular_file(p)) return p;
  throw DataError("data file '" + (dir / (stem + ".gz")).string() + "' (or without .gz) does not exist; give --data DIR "
                  "or set GREENMAC_FASHION_MNIST to the Fashion-MNIST directory");
}

}  // namespace

ImageSet load_fashion_mnist(const fs::path& dir, const std::string& split, size_t limit) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw DataError("data directory '" + dir.string() + "' does not exist; give --data DIR or set GREENMAC_FASHION_MNIST "
                    "(the Fashion-MNIST IDX files, e.g. /usr/share/datasets/fashion-mnist)");
  const IdxArray images = read_idx(find_file(dir, split + "-images-idx3-ubyte"), 3);
  const IdxArray labels = read_idx(find_file(dir, split + "-labels-idx1-ubyte"), 1);
  if (images.count() != labels.count())
    throw DataError("'" + dir.string() + "': " + split + " has " + std::to_string(images.count()) + " images but " +
                    std::to_string(labels.count()) + " labels");
  ImageSet set;
  set.rows = static_cast<int>(images.dims[1]);
  set.cols = static_cast<int>(images.dims[2]);
  size_t n = images.count();
  if (limit && limit < n) n = limit;
  set.pixels.assign(images.data.begin(), images.data.begin() + n * images.item_size());
  set.labels.assign(labels.data.begin(), labels.data.begin() + n);
  for (uint8_t l : set.labels)
    if (l > 9) throw DataError("'" + dir.string() + "': " + split + " label " + std::to_string(l) + " is not a class 0..9");
  return set;
}

}  // namespace gm
