# Test service modelled on upstream's example/ schemas (init + calculator +
# printer folded into one interface). Uses the Proxy annotations the way real
# libmultiprocess schemas do, so loading it exercises mp/proxy.capnp too.

@0xd73a5d0439ab6c37;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("mpjava::test::calc");

using Proxy = import "/mp/proxy.capnp";
$Proxy.include("calc_init.h");
$Proxy.includeTypes("calc_types.h");

interface CalcInit $Proxy.wrap("CalcInit") {
    construct @0 (threadMap :Proxy.ThreadMap) -> (threadMap :Proxy.ThreadMap);
    # ThreadMap exchange, same convention as upstream's InitInterface.
    add @1 (a :Int32, b :Int32) -> (result :Int32);
    echo @2 (text :Text) -> (result :Text);
    fail @3 (message :Text) -> ();
    # Server throws with the given message (exception path).
    slow @4 (millis :UInt32) -> (result :UInt32);
    # Server sleeps for `millis` then returns it (concurrency/cancel tests).
}
