# Bitcoin Core's Rpc interface (src/ipc/capnp/rpc.capnp): JSON-RPC requests over IPC.
# Here only because Init.makeRpc returns it; same file id, ordinals and types.

@0x9c3505dc45e146ac;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("ipc::capnp::messages");

using Proxy = import "/mp/proxy.capnp";
$Proxy.include("interfaces/rpc.h");
$Proxy.includeTypes("ipc/capnp/rpc-types.h");

using Common = import "common.capnp";

interface Rpc $Proxy.wrap("interfaces::Rpc") {
    executeRpc @0 (context :Proxy.Context, request :Text, uri :Text, user :Text) -> (result :Text);
}
