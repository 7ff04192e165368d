# Test service shaped like Bitcoin Core's ipc/capnp init.capnp + echo.capnp,
# merged into one file with its own ID (so interface IDs differ from Bitcoin's).
# Echo methods take a Proxy.Context, so calls need a thread from the ThreadMap.

@0xdbdb064f08883632;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("mpjava::test::echo");

using Proxy = import "/mp/proxy.capnp";
$Proxy.include("echo_init.h");
$Proxy.includeTypes("echo_types.h");

interface Init $Proxy.wrap("interfaces::Init") {
    construct @0 (threadMap :Proxy.ThreadMap) -> (threadMap :Proxy.ThreadMap);
    makeEcho @1 (context :Proxy.Context) -> (result :Echo);
}

interface Echo $Proxy.wrap("interfaces::Echo") {
    destroy @0 (context :Proxy.Context) -> ();
    # Called by the client before it drops the capability.
    echo @1 (context :Proxy.Context, echo :Text) -> (result :Text);
}
