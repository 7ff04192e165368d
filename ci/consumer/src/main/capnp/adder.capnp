@0xd3c1e3a6f0b2c401;

# The consumer's schema: mpjava-maven-plugin generates its typed API (package
# dev.mpjava.consumer.adder) and copies it to the class path, where that code loads it.
# The two imports are resolved from the copies mpjava carries, as at run time.

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("consumer");

using Proxy = import "/mp/proxy.capnp";
$Proxy.include("consumer.h");

interface Adder $Proxy.wrap("consumer::Adder") {
  construct @0 (threadMap :Proxy.ThreadMap) -> (threadMap :Proxy.ThreadMap);
  add @1 (context :Proxy.Context, a :Int32, b :Int32) -> (result :Int32);
}
