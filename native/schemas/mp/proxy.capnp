# mpjava's copy of the libmultiprocess base schema (mp/proxy.capnp).
# Every node ID below is derived by capnp from the file ID plus the node's
# name, so the file ID, names and nesting must match upstream exactly for
# interface IDs in Call messages to agree on the wire. Keep it that way.

@0xcc316e3f71a040fb;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("mp");

# Code-generation hints read by upstream's mpgen. None of them alter the
# encoding; they are declared here so application schemas that use them load.

annotation include(file): Text;
annotation includeTypes(file): Text;
# Header files the generated C++ sources should pull in.

annotation wrap(interface, struct): Text;
# C++ class that a capnp interface (or struct) stands for.

annotation count(param, struct, interface): Int32;
# How many C++ arguments one capnp field carries. Zero marks a field the
# runtime fills in by itself (ThreadMap and Context below use this).

annotation exception(param): Text;
# Marks a result field that carries a C++ exception of the named type.

annotation name(field, method): Text;
# C++ name to use instead of the capnp field or method name.

annotation skip(field): Void;
# Field with no C++ counterpart; same effect as count(0).

interface ThreadMap $count(0) {
    # Server-side factory for execution threads, exchanged via construct().
    makeThread @0 (name :Text) -> (result :Thread);
    # Ask for a named worker thread; the handle goes into Context.thread.
    makePool @1 (count :UInt32) -> ();
    # Ask for a worker pool used when Context.thread is left null (v11+).
}

interface Thread {
    # Handle to one thread created by a ThreadMap.
    getName @0 () -> (result :Text);
}

struct Context $count(0) {
    # Implicit first parameter of blocking methods.
    thread @0 :Thread;
    # Thread (created by the callee's ThreadMap) that should run this call.
    callbackThread @1 :Thread;
    # Caller-hosted thread on which the callee should make any callbacks.
}
