@0xbed15927421c52e0;
# Test schema for the libmultiprocess thread rules: a method with a Proxy.Context runs
# on the worker thread the context names, one without runs on the event loop thread.

using Proxy = import "/mp/proxy.capnp";

interface ThreadTest {
  construct @0 (threadMap :Proxy.ThreadMap) -> (threadMap :Proxy.ThreadMap);
  # Name of the native thread that ran the call.
  threadName @1 (context :Proxy.Context) -> (result :Text);
  loopThreadName @2 () -> (result :Text);
  # Sleeps on the worker thread, then returns its start and end times (ns).
  slow @3 (context :Proxy.Context, millis :UInt32) -> (start :Int64, end :Int64);
}

# The same Context method on an interface without construct: a client has no
# ThreadMap from the server, so it cannot name a thread.
interface NoThreadMap {
  threadName @0 (context :Proxy.Context) -> (result :Text);
}

# ThreadMaps exchanged by a method not named construct, as upstream's test interface
# does with initThreadMap: the exchange follows the field type, not the name.
interface ExplicitMap {
  initThreadMap @0 (threadMap :Proxy.ThreadMap) -> (threadMap :Proxy.ThreadMap);
  threadName @1 (context :Proxy.Context) -> (result :Text);
}
