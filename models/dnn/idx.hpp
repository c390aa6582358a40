// IDX files (the MNIST / Fashion-MNIST container), gzipped or plain, and the Fashion-MNIST data set.
//
// IDX layout (big-endian): bytes 0-1 zero, byte 2 the element type (0x08 = unsigned byte, the only
// type read here), byte 3 the number of dimensions d, then d 32-bit sizes, then the elements in
// row-major order. Images are idx3 (count x rows x cols), labels idx1 (count). A file whose first two
// bytes are the gzip magic 1f 8b is inflated with zlib first; anything else is read as plain IDX.
//
// Every problem with a file (missing, unreadable, bad magic, wrong type or dimension count, fewer
// element bytes than the header promises, corrupt gzip stream) raises DataError with a one-line
// message naming the file; the CLI turns it into exit code 2.
//
// This file is compiled into the small gm_idx library (it links zlib), not into gm_models, so the
// Verilator harnesses that link gm_models need no zlib.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace gm {

// A data file or model file the user pointed at is missing or malformed.
struct DataError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct IdxArray {
  std::vector<uint32_t> dims;  // e.g. {10000, 28, 28}
  std::vector<uint8_t> data;   // row-major, product(dims) bytes
  uint64_t count() const { return dims.empty() ? 0 : dims[0]; }
  uint64_t item_size() const;  // product of dims[1..]: bytes per image (1 for labels)
};

// Whole file contents, gunzipped when the file starts with the gzip magic.
std::vector<uint8_t> read_maybe_gzip(const std::filesystem::path& path);

// Parses an unsigned-byte IDX file with `want_dims` dimensions (0: any). `origin` names it in messages.
IdxArray parse_idx(const std::vector<uint8_t>& bytes, const std::string& origin, int want_dims = 0);
IdxArray read_idx(const std::filesystem::path& path, int want_dims = 0);

// One split of Fashion-MNIST: count images of rows x cols pixels (0..255) and their labels (0..9).
struct ImageSet {
  int rows = 0, cols = 0;
  std::vector<uint8_t> pixels;  // count * rows * cols
  std::vector<uint8_t> labels;  // count
  size_t count() const { return labels.size(); }
  const uint8_t* image(size_t i) const { return pixels.data() + i * rows * cols; }
};

// The data directory: `override_dir` when non-empty, else $GREENMAC_FASHION_MNIST, else
// /usr/share/datasets/fashion-mnist.
std::filesystem::path fashion_mnist_dir(const std::string& override_dir = "");

// Reads <dir>/<split>-images-idx3-ubyte[.gz] and <split>-labels-idx1-ubyte[.gz], split "train" or
// "t10k"; the .gz name is tried first. `limit` > 0 keeps only the first `limit` images. Throws
// DataError for a missing directory or file, a malformed file, or image and label counts that differ.
ImageSet load_fashion_mnist(const std::filesystem::path& dir, const std::string& split, size_t limit = 0);

}  // namespace gm
