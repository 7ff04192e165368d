# The part of Bitcoin Core's src/ipc/capnp/common.capnp that the Mining example uses:
# same file id, so BlockRef has the node's type id. The node's file declares more
# (settings, results, pairs); nothing here depends on them.

@0xcd2c6232cb484a28;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("ipc::capnp::messages");

using Proxy = import "/mp/proxy.capnp";
$Proxy.include("ipc/capnp/common.h");
$Proxy.includeTypes("ipc/capnp/common-types.h");

# A block by hash (32 bytes, internal byte order) and height.
struct BlockRef $Proxy.wrap("interfaces::BlockRef") {
    hash @0 :Data;
    height @1 :Int32;
}
