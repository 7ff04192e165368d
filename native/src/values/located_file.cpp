#include "located_file.h"

#include <kj/debug.h>

namespace mpjava {

void ImportLog::add(kj::Own<capnp::SchemaFile> file)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_files.push_back(kj::mv(file));
}

std::vector<kj::Own<capnp::SchemaFile>> ImportLog::take()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return std::move(m_files);
}

kj::Maybe<kj::Own<capnp::SchemaFile>> LocatedFile::import(kj::StringPtr path) const
{
    KJ_IF_MAYBE (file, m_inner->import(path)) {
        // A second handle on the same file (equal to the first) for the log: the parser owns the first.
        KJ_IF_MAYBE (again, m_inner->import(path)) {
            m_imports->add(kj::heap<LocatedFile>(kj::mv(*again), m_imports));
        }
        return kj::Maybe<kj::Own<capnp::SchemaFile>>(kj::heap<LocatedFile>(kj::mv(*file), m_imports));
    }
    return nullptr;
}

bool LocatedFile::operator==(const capnp::SchemaFile& other) const
{
    const auto* located = dynamic_cast<const LocatedFile*>(&other);
    return located && *m_inner == *located->m_inner;
}

void LocatedFile::reportError(SourcePos start, SourcePos, kj::StringPtr message) const
{
    // Files are opened relative to the filesystem root, so the display name is the absolute
    // path without its leading '/'.
    kj::StringPtr name = getDisplayName();
    kj::StringPtr root = name.startsWith("/") ? "" : "/";
    kj::throwFatalException(kj::Exception(kj::Exception::Type::FAILED, __FILE__, __LINE__,
                                          kj::str(root, name, ":", start.line + 1, ":", start.column + 1, ": ", message)));
}

} // namespace mpjava
