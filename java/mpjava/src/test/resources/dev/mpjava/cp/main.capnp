# Loaded from the class path: imports one file by its class-path name, one relative to
# this file, and the bundled proxy schema.
@0xe1a2b3c4d5e6f708;

using Proxy = import "/mp/proxy.capnp";
using Lib = import "/dev/mpjava/cp/lib/types.capnp";
using Later = import "lib/later.capnp";  # used by no declaration: read only when named
using Near = import "sibling.capnp";  # a comment naming import "nothing.capnp"

interface Store {
  put @0 (context :Proxy.Context, item :Lib.Item) -> (count :Near.Count);
}
