@0xaa05ec48fdc2e4fe;
# A struct carrying a capability, which Keeper sends back as received
# (StructValueAsParamTest: a received struct, capabilities included, as a param).

using Proxy = import "/mp/proxy.capnp";
using Callbacks = import "callbacks.capnp";

struct Holder {
  name @0 :Text;
  printer @1 :Callbacks.Printer;
}

interface Keeper {
  construct @0 (threadMap :Proxy.ThreadMap) -> (threadMap :Proxy.ThreadMap);
  keep @1 (context :Proxy.Context, holder :Holder) -> (result :Holder);
}
