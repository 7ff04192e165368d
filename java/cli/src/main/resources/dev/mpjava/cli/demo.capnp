# The schema of `mpjava serve-demo`: a calculator shaped like a libmultiprocess init
# interface (construct exchanges ThreadMaps; Context methods run on a worker thread the
# server makes for the calling thread), with a capability to call with --then.

@0xb92bcac35536521e;

using Proxy = import "/mp/proxy.capnp";

interface DemoInit {
  construct @0 (threadMap :Proxy.ThreadMap) -> (threadMap :Proxy.ThreadMap);
  add @1 (a :Int32, b :Int32) -> (result :Int32);
  echo @2 (context :Proxy.Context, text :Text) -> (result :Text);
  # Fails with `message`: the caller gets a remote error.
  fail @3 (message :Text) -> ();
  # A counter that starts at `start`; call next on it (mpjava call ... makeCounter --then next).
  makeCounter @4 (context :Proxy.Context, start :Int64) -> (result :Counter);
}

interface Counter {
  destroy @0 (context :Proxy.Context) -> ();
  next @1 (context :Proxy.Context) -> (value :Int64);
}
