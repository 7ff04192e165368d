// The fuzzer's inputs: one case is a few chunks of bytes sent on a fresh connection.
// Each case is made from (seed, case number) alone, so any failure reproduces with
// `mpjava_fuzz ... --seed S --first N --cases 1`. Four categories, in turn:
//   random   random bytes, sometimes after a valid Bootstrap
//   framing  segment tables that lie: huge counts and sizes, truncation, junk bodies
//   mutated  the corpus (real messages of our own client) with bytes flipped/cut/added
//   semantic well-formed RPC messages that make no sense: unknown ids, wrong
//            interfaces and methods, bogus capabilities, level-3 messages, aborts
#pragma once

#include "../raw_peer.h"

#include <capnp/schema.h>

#include <cstdint>
#include <string>
#include <vector>

namespace mpjava::fuzz {

using test::raw::Bytes;

enum class Category { Random = 0, Framing = 1, Mutated = 2, Semantic = 3 };
constexpr int kCategories = 4;
const char* CategoryName(Category category);

struct Case {
    Category category;
    std::vector<Bytes> chunks;
};

// The captured messages, in the order our client sent them (one file each).
std::vector<Bytes> LoadCorpus(const std::string& dir);

Case MakeCase(uint64_t seed, uint64_t number, const std::vector<Bytes>& corpus, capnp::InterfaceSchema iface);

} // namespace mpjava::fuzz
