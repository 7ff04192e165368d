// What a peer learns when one of its calls fails here. Cap'n Proto 0.9.2 puts an
// exception's type and description on the wire (rpc.capnp Exception.reason/type; it
// sends no file, line or trace), and a description can carry what only this machine
// should see: absolute paths (of the build tree, of files a handler touched), heap
// addresses, a KJ stack trace pasted in by what() of a KJ exception. The server log
// keeps the full text; the reply gets it with those removed.
#pragma once

#include <string>

namespace mpjava {

// `text` with every absolute path cut to its last component, every hexadecimal
// number of 6 digits or more, or bare word of 8-16 hex digits mixing letters and
// digits (an address, as KJ prints pointers), replaced by "0x?", and KJ "stack:" lists
// dropped. The rest, the error's type name and message, is kept as written.
std::string ReasonForPeer(const std::string& text);

} // namespace mpjava
