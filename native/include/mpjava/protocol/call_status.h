// How a call made with value-tree params ended (no dependencies: the JNI facade
// exports these numbers to Java as STATUS_*).
#pragma once

namespace mpjava {

enum CallStatus : int {
    CALL_OK = 0,
    CALL_FAILED = 1,            // kj::Exception::Type::FAILED from the peer or locally
    CALL_OVERLOADED = 2,
    CALL_DISCONNECTED = 3,
    CALL_UNIMPLEMENTED = 4,
    CALL_INVALID_ARGUMENT = 5,  // the params do not fit the schema
    CALL_CLOSED = 6,            // the loop or client was closed
    CALL_RAISED = 7,            // a $Proxy.exception result field is set (see value_call.h)
    CALL_CANCELLED = 8,         // the caller cancelled it (deadline, interrupt, cancel); any answer discarded
};

} // namespace mpjava
