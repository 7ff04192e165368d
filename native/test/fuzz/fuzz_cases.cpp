#include "fuzz_cases.h"

#include <kj/debug.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

namespace mpjava::fuzz {

namespace {

using Rng = std::mt19937_64;
using capnp::rpc::Message;

uint64_t Pick(Rng& rng, uint64_t below) { return below == 0 ? 0 : rng() % below; }
bool Chance(Rng& rng, int percent) { return static_cast<int>(Pick(rng, 100)) < percent; }

// Numbers that break assumptions more often than uniform ones.
uint32_t Interesting32(Rng& rng)
{
    static const uint32_t values[] = {0, 1, 2, 7, 8, 255, 256, 0x7fff, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff};
    return Chance(rng, 60) ? values[Pick(rng, std::size(values))] : static_cast<uint32_t>(rng());
}

Bytes RandomBytes(Rng& rng, size_t max)
{
    Bytes bytes(1 + Pick(rng, max));
    for (auto& b : bytes) b = static_cast<unsigned char>(rng());
    return bytes;
}

void Put32(Bytes& out, uint32_t value)
{
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<unsigned char>(value >> (8 * i)));
}

Case RandomCase(Rng& rng)
{
    Case c{Category::Random, {}};
    if (Chance(rng, 50)) c.chunks.push_back(test::raw::Bootstrap(0));
    c.chunks.push_back(RandomBytes(rng, 1024));
    return c;
}

Case FramingCase(Rng& rng)
{
    Case c{Category::Framing, {}};
    if (Chance(rng, 30)) c.chunks.push_back(test::raw::Bootstrap(0));
    Bytes out;
    switch (Pick(rng, 6)) {
    case 0:  // absurd segment count
        Put32(out, Interesting32(rng));
        Put32(out, Interesting32(rng));
        break;
    case 1: {  // plausible count, absurd sizes
        uint32_t count = 1 + static_cast<uint32_t>(Pick(rng, 8));
        Put32(out, count - 1);
        for (uint32_t i = 0; i < count; ++i) Put32(out, Interesting32(rng));
        if (count % 2 == 0) Put32(out, 0);
        break;
    }
    case 2: {  // a real message cut short
        Bytes whole = test::raw::Bootstrap(static_cast<uint32_t>(rng()));
        whole.resize(Pick(rng, whole.size()));
        out = whole;
        break;
    }
    case 3: {  // valid table, junk body
        uint32_t words = 1 + static_cast<uint32_t>(Pick(rng, 64));
        Put32(out, 0);
        Put32(out, words);
        for (uint32_t i = 0; i < words * 8; ++i) out.push_back(static_cast<unsigned char>(rng()));
        break;
    }
    case 4: {  // table promises more than is sent
        Put32(out, 0);
        Put32(out, 1 + static_cast<uint32_t>(Pick(rng, 1u << 20)));
        Bytes body = RandomBytes(rng, 256);
        out.insert(out.end(), body.begin(), body.end());
        break;
    }
    default: {  // empty segments, a null root
        uint32_t count = 1 + static_cast<uint32_t>(Pick(rng, 4));
        Put32(out, count - 1);
        for (uint32_t i = 0; i < count; ++i) Put32(out, static_cast<uint32_t>(Pick(rng, 2)));
        if (count % 2 == 0) Put32(out, 0);
        for (uint32_t i = 0; i < count; ++i) out.insert(out.end(), 8, 0);
        break;
    }
    }
    c.chunks.push_back(out);
    return c;
}

void Mutate(Rng& rng, Bytes& bytes)
{
    if (bytes.empty()) return;
    // Half the time spare the segment table, so the damage reaches the message itself.
    const size_t from = Chance(rng, 50) && bytes.size() > 8 ? 8 : 0;
    const size_t at = from + Pick(rng, bytes.size() - from);
    switch (Pick(rng, 6)) {
    case 0: bytes[at] ^= static_cast<unsigned char>(1u << Pick(rng, 8)); break;
    case 1: {
        static const unsigned char values[] = {0, 1, 0x7f, 0x80, 0xff, 0xfe};
        bytes[at] = values[Pick(rng, std::size(values))];
        break;
    }
    case 2:
        for (size_t i = at; i < std::min(bytes.size(), at + 8); ++i) bytes[i] = static_cast<unsigned char>(rng());
        break;
    case 3: bytes.resize(at); break;
    case 4: {
        Bytes extra = RandomBytes(rng, 16);
        bytes.insert(bytes.begin() + static_cast<long>(at), extra.begin(), extra.end());
        break;
    }
    default: {
        size_t length = Pick(rng, bytes.size() - at) + 1;
        Bytes copy(bytes.begin() + static_cast<long>(at), bytes.begin() + static_cast<long>(at + length));
        bytes.insert(bytes.begin() + static_cast<long>(Pick(rng, bytes.size())), copy.begin(), copy.end());
        break;
    }
    }
}

Case MutatedCase(Rng& rng, const std::vector<Bytes>& corpus)
{
    Case c{Category::Mutated, corpus};
    if (c.chunks.empty()) c.chunks.push_back(test::raw::Bootstrap(0));
    // Often a prefix of the session only: later messages depend on earlier ones.
    if (Chance(rng, 50)) c.chunks.resize(1 + Pick(rng, c.chunks.size()));
    const uint64_t mutations = 1 + Pick(rng, 3);
    for (uint64_t i = 0; i < mutations; ++i) {
        auto& chunk = c.chunks[Pick(rng, c.chunks.size())];
        const uint64_t times = 1 + Pick(rng, 4);
        for (uint64_t k = 0; k < times; ++k) Mutate(rng, chunk);
    }
    return c;
}

void RandomTarget(Rng& rng, capnp::rpc::MessageTarget::Builder target)
{
    if (Chance(rng, 40)) {
        target.setImportedCap(Interesting32(rng));
        return;
    }
    auto answer = target.initPromisedAnswer();
    answer.setQuestionId(Chance(rng, 60) ? 0 : Interesting32(rng));
    if (Chance(rng, 30)) {
        auto ops = answer.initTransform(static_cast<unsigned>(1 + Pick(rng, 4)));
        for (auto op : ops) {
            if (Chance(rng, 70)) {
                op.setGetPointerField(static_cast<uint16_t>(Pick(rng, 4) == 0 ? rng() : Pick(rng, 3)));
            } else {
                op.setNoop();
            }
        }
    }
}

void RandomCapTable(Rng& rng, capnp::rpc::Payload::Builder payload)
{
    if (!Chance(rng, 30)) return;
    auto caps = payload.initCapTable(static_cast<unsigned>(1 + Pick(rng, 3)));
    for (auto cap : caps) {
        switch (Pick(rng, 5)) {
        case 0: cap.setSenderHosted(Interesting32(rng)); break;
        case 1: cap.setSenderPromise(Interesting32(rng)); break;
        case 2: cap.setReceiverHosted(Interesting32(rng)); break;
        case 3: cap.initReceiverAnswer().setQuestionId(Interesting32(rng)); break;
        default: cap.setNone(); break;
        }
    }
}

void RandomParams(Rng& rng, capnp::rpc::Payload::Builder payload, capnp::InterfaceSchema iface)
{
    auto methods = iface.getMethods();
    auto content = payload.getContent();
    if (Chance(rng, 60) && methods.size() > 0) {
        // The params of some method of the interface, maybe not the one called.
        auto method = methods[static_cast<unsigned>(Pick(rng, methods.size()))];
        auto params = content.initAs<capnp::DynamicStruct>(method.getParamType());
        for (auto field : method.getParamType().getFields()) {
            auto type = field.getType();
            if (type.isInt32()) params.set(field, static_cast<int32_t>(Interesting32(rng)));
            else if (type.isUInt32()) params.set(field, static_cast<uint32_t>(Pick(rng, 5)));  // slow(millis): short
            else if (type.isText() && Chance(rng, 70)) params.set(field, capnp::Text::Reader("fuzz"));
        }
    } else if (Chance(rng, 50)) {
        content.setAs<capnp::Text>("not a struct");
    } else {
        auto list = content.initAs<capnp::List<uint64_t>>(static_cast<unsigned>(Pick(rng, 16)));
        for (unsigned i = 0; i < list.size(); ++i) list.set(i, rng());
    }
    RandomCapTable(rng, payload);
}

Bytes SemanticMessage(Rng& rng, capnp::InterfaceSchema iface)
{
    capnp::MallocMessageBuilder builder(256);
    auto message = builder.initRoot<Message>();
    switch (Pick(rng, 12)) {
    case 0: message.initBootstrap().setQuestionId(Chance(rng, 50) ? 0 : Interesting32(rng)); break;
    case 1:
    case 2:
    case 3: {
        auto call = message.initCall();
        call.setQuestionId(Interesting32(rng));
        RandomTarget(rng, call.initTarget());
        call.setInterfaceId(Chance(rng, 70) ? iface.getProto().getId() : rng());
        uint16_t method_id = static_cast<uint16_t>(Chance(rng, 70) ? Pick(rng, iface.getMethods().size() + 2) : rng());
        // The test servers' slow(millis) sleeps on the loop as long as it is told: with
        // another method's params in its place that stalls the server by design, so
        // slow is never called with anything but its own small params.
        KJ_IF_MAYBE (slow, iface.findMethodByName("slow")) {
            if (method_id == slow->getIndex()) method_id = iface.getMethodByName("add").getIndex();
        }
        call.setMethodId(method_id);
        RandomParams(rng, call.initParams(), iface);
        if (Chance(rng, 10)) call.getSendResultsTo().setYourself();
        if (Chance(rng, 10)) call.getSendResultsTo().initThirdParty().setAs<capnp::Text>("elsewhere");
        break;
    }
    case 4: {
        auto ret = message.initReturn();
        ret.setAnswerId(Interesting32(rng));
        if (Chance(rng, 40)) ret.initException().setReason("fuzz");
        else if (Chance(rng, 50)) ret.setCanceled();
        else RandomParams(rng, ret.initResults(), iface);
        break;
    }
    case 5: message.initFinish().setQuestionId(Interesting32(rng)); break;
    case 6: {
        auto release = message.initRelease();
        release.setId(Interesting32(rng));
        release.setReferenceCount(Interesting32(rng));
        break;
    }
    case 7: {
        auto resolve = message.initResolve();
        resolve.setPromiseId(Interesting32(rng));
        if (Chance(rng, 50)) resolve.initCap().setSenderHosted(Interesting32(rng));
        else resolve.initException().setReason("fuzz");
        break;
    }
    case 8: {
        auto disembargo = message.initDisembargo();
        RandomTarget(rng, disembargo.initTarget());
        auto context = disembargo.initContext();
        if (Chance(rng, 50)) context.setSenderLoopback(Interesting32(rng));
        else context.setReceiverLoopback(Interesting32(rng));
        break;
    }
    case 9: {  // level 3/4 messages a two-party vat does not implement
        if (Chance(rng, 50)) RandomTarget(rng, message.initProvide().initTarget());
        else message.initAccept().setQuestionId(Interesting32(rng));
        break;
    }
    case 10: message.initUnimplemented().initBootstrap().setQuestionId(Interesting32(rng)); break;
    default: message.initAbort().setReason("fuzz"); break;
    }
    return test::raw::Serialize(builder);
}

Case SemanticCase(Rng& rng, capnp::InterfaceSchema iface)
{
    Case c{Category::Semantic, {}};
    if (Chance(rng, 70)) c.chunks.push_back(test::raw::Bootstrap(0));
    const uint64_t count = 1 + Pick(rng, 8);
    for (uint64_t i = 0; i < count; ++i) c.chunks.push_back(SemanticMessage(rng, iface));
    return c;
}

} // namespace

const char* CategoryName(Category category)
{
    switch (category) {
    case Category::Random: return "random";
    case Category::Framing: return "framing";
    case Category::Mutated: return "mutated";
    case Category::Semantic: return "semantic";
    }
    return "?";
}

std::vector<Bytes> LoadCorpus(const std::string& dir)
{
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() == ".bin") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    std::vector<Bytes> corpus;
    for (const auto& file : files) {
        std::ifstream in(file, std::ios::binary);
        corpus.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return corpus;
}

Case MakeCase(uint64_t seed, uint64_t number, const std::vector<Bytes>& corpus, capnp::InterfaceSchema iface)
{
    Rng rng(seed * 0x9E3779B97F4A7C15ull + number);
    switch (static_cast<Category>(number % kCategories)) {
    case Category::Random: return RandomCase(rng);
    case Category::Framing: return FramingCase(rng);
    case Category::Mutated: return MutatedCase(rng, corpus);
    case Category::Semantic: return SemanticCase(rng, iface);
    }
    return RandomCase(rng);
}

} // namespace mpjava::fuzz
