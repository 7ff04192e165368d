#include <mpjava/values/schema.h>

#include "located_file.h"

#include <kj/debug.h>

#include <mutex>

#include <sys/stat.h>

namespace mpjava {
namespace {
// Tag for the specialization below.
struct LoaderAccess {
    static thread_local capnp::SchemaLoader* loader;
};
thread_local capnp::SchemaLoader* LoaderAccess::loader = nullptr;
} // namespace
} // namespace mpjava

// Cap'n Proto 0.9.2 keeps the parser's SchemaLoader private (getAllLoaded() is the only
// way to list what an import brought in); its one public member template may be
// specialized, and a specialization is a member, so it can hand the loader out.
template <>
void capnp::SchemaParser::loadCompiledTypeAndDependencies<mpjava::LoaderAccess>()
{
    mpjava::LoaderAccess::loader = &getLoader();
}

namespace mpjava {

namespace {

bool IsDirectory(const std::string& path)
{
    struct stat st{};
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool IsFile(const std::string& path)
{
    struct stat st{};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

kj::Path AbsolutePath(const kj::Filesystem& fs, const std::string& path)
{
    return fs.getCurrentPath().evalNative(path);
}

} // namespace

SchemaSet::SchemaSet(const std::vector<std::string>& import_paths)
    : m_fs(kj::newDiskFilesystem()), m_imports(std::make_shared<ImportLog>())
{
    for (const auto& path : import_paths) {
        if (!IsDirectory(path)) throw SchemaError("schema import path is not a directory: " + path);
        m_import_dirs.push_back(m_fs->getRoot().openSubdir(AbsolutePath(*m_fs, path)));
        m_import_ptrs.push_back(m_import_dirs.back().get());
    }
}

void SchemaSet::load(const std::string& file)
{
    if (!IsFile(file)) throw SchemaError("schema file not found: " + file);
    std::lock_guard<std::mutex> lock(m_mutex);
    try {
        auto parsed = m_parser.parseFile(kj::heap<LocatedFile>(capnp::SchemaFile::newFromDirectory(
            m_fs->getRoot(), AbsolutePath(*m_fs, file),
            kj::ArrayPtr<const kj::ReadableDirectory* const>(m_import_ptrs.data(), m_import_ptrs.size())), m_imports));
        m_files.push_back(parsed);
        ParseImports();
    } catch (const kj::Exception& e) {
        // LocatedFile's errors say where; any other failure (an unreadable import) says what.
        throw SchemaError(e.getDescription().cStr());
    }
}

namespace {
// The node a dotted name reaches from `node`, if every part is nested in the one before.
kj::Maybe<capnp::ParsedSchema> Walk(capnp::ParsedSchema node, const std::string& name)
{
    size_t start = 0;
    while (true) {
        size_t dot = name.find('.', start);
        std::string part = name.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        KJ_IF_MAYBE (child, node.findNested(part)) {
            node = *child;
        } else {
            return nullptr;
        }
        if (dot == std::string::npos) return node;
        start = dot + 1;
    }
}

std::string FirstTypeName(capnp::ParsedSchema file)
{
    for (auto nested : file.getProto().getNestedNodes()) {
        KJ_IF_MAYBE (child, file.findNested(nested.getName())) {
            if (!child->getProto().isAnnotation() && !child->getProto().isConst()) return nested.getName().cStr();
        }
    }
    return "Type";
}
} // namespace

capnp::Schema SchemaSet::find(const std::string& name) const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    // Loaded files first, then the files they import (so "BlockTemplate" is found in the
    // mining.capnp an init.capnp imports, as is "Mining.BlockTemplate" through the alias).
    for (const auto* files : {&m_files, &m_imported}) {
        for (const auto& file : *files) {
            KJ_IF_MAYBE (node, Walk(file, name)) {
                if (node->getProto().isFile()) {
                    // `using X = import "x.capnp"` makes X the file itself, not a type.
                    throw SchemaError("'" + name + "' is the imported file " + node->getProto().getDisplayName().cStr() +
                                      ", not a type; name a type in it as '" + name + "." +
                                      FirstTypeName(*node) + "'");
                }
                return *node;
            }
        }
    }
    throw SchemaError("no type named '" + name + "' in the loaded schema files or the files they import");
}

capnp::SchemaLoader& SchemaSet::loader()
{
    m_parser.loadCompiledTypeAndDependencies<LoaderAccess>();
    return *LoaderAccess::loader;
}

void SchemaSet::ParseImports()
{
    // Parsing an import may import more; an already parsed file is only looked up.
    for (auto files = m_imports->take(); !files.empty(); files = m_imports->take()) {
        for (auto& file : files) {
            auto parsed = m_parser.parseFile(kj::mv(file));
            bool known = false;
            for (const auto& f : m_imported) known = known || f.getProto().getId() == parsed.getProto().getId();
            if (!known) m_imported.push_back(parsed);
        }
    }
}

kj::Array<capnp::Schema> SchemaSet::allLoaded()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    ParseImports();
    return loader().getAllLoaded();
}

std::vector<uint64_t> SchemaSet::loadedFileIds() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    std::vector<uint64_t> ids;
    for (const auto& file : m_files) ids.push_back(file.getProto().getId());
    return ids;
}

int InterfaceInfo::indexOf(const capnp::InterfaceSchema::Method& method) const
{
    for (size_t i = 0; i < methods.size(); ++i) {
        if (methods[i] == method) return static_cast<int>(i);
    }
    return -1;
}

namespace {
void CollectMethods(capnp::InterfaceSchema schema, InterfaceInfo& info)
{
    for (auto method : schema.getMethods()) info.methods.push_back(method);
    for (auto super : schema.getSuperclasses()) CollectMethods(super, info);
}
} // namespace

std::shared_ptr<const InterfaceInfo> SchemaSet::interfaceInfo(capnp::InterfaceSchema schema)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    auto& slot = m_interfaces[schema.getProto().getId()];
    if (!slot) {
        slot = std::make_unique<InterfaceInfo>();
        slot->set = this;
        slot->schema = schema;
        CollectMethods(schema, *slot);
    }
    // Shares the set's ownership: the record lives as long as the set.
    return std::shared_ptr<const InterfaceInfo>(shared_from_this(), slot.get());
}

capnp::InterfaceSchema SchemaSet::findInterface(const std::string& name) const
{
    capnp::Schema schema = find(name);
    if (!schema.getProto().isInterface()) throw SchemaError("'" + name + "' is not an interface");
    return schema.asInterface();
}

capnp::StructSchema SchemaSet::findStruct(const std::string& name) const
{
    capnp::Schema schema = find(name);
    if (!schema.getProto().isStruct()) throw SchemaError("'" + name + "' is not a struct");
    return schema.asStruct();
}

} // namespace mpjava
