@0xf26ae6d6aa94b0b1;
# Interface inheritance, capabilities as params and results, and a std::function-style
# callback (one `call` method) that a Java lambda implements.

using Proxy = import "/mp/proxy.capnp";

interface Named {
  destroy @0 (context :Proxy.Context) -> ();
  name @1 (context :Proxy.Context) -> (result :Text);
}

interface Counter extends(Named) {
  next @0 (context :Proxy.Context) -> (value :Int64);
}

interface IntFn {
  destroy @0 (context :Proxy.Context) -> ();
  call @1 (context :Proxy.Context, arg :Int32) -> (result :Int32);
}

interface Factory {
  construct @0 (threadMap :Proxy.ThreadMap) -> (threadMap :Proxy.ThreadMap);
  makeCounter @1 (context :Proxy.Context, name :Text, start :Int64) -> (result :Counter);
  # Calls fn(arg) on the caller's thread and returns its result.
  apply @2 (context :Proxy.Context, fn :IntFn, arg :Int32) -> (result :Int32);
  # Names whatever Named it is given (a Counter works too).
  nameOf @3 (context :Proxy.Context, named :Named) -> (result :Text);
}
