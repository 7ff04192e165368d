@0xb04477e22054cfa6;
# Capabilities as values with libmultiprocess conventions, shaped like upstream's
# example (a calculator that prints through a printer it is given) and test
# (callbacks called back on the caller's thread).

using Proxy = import "/mp/proxy.capnp";

interface Printer {
  destroy @0 (context :Proxy.Context) -> ();
  print @1 (context :Proxy.Context, text :Text) -> ();
}

interface Calculator {
  destroy @0 (context :Proxy.Context) -> ();
  # Prints "<eqn> = <result>" through the printer it was made with, then returns.
  solve @1 (context :Proxy.Context, a :Int64, b :Int64) -> (result :Int64);
}

interface Callback {
  destroy @0 (context :Proxy.Context) -> ();
  call @1 (context :Proxy.Context, arg :Int32) -> (result :Int32);
}

interface Hub {
  construct @0 (threadMap :Proxy.ThreadMap) -> (threadMap :Proxy.ThreadMap);
  makeCalculator @1 (context :Proxy.Context, printer :Printer) -> (result :Calculator);
  makePrinter @2 (context :Proxy.Context) -> (result :Printer);
  # Calls cb.call(arg) and returns its result plus one.
  callback @3 (context :Proxy.Context, cb :Callback, arg :Int32) -> (result :Int32);
  # Fails with a structured error when name is not empty, the $Proxy.exception way.
  raise @4 (context :Proxy.Context, name :Text) -> (error :Failure $Proxy.exception("Failure"));
}

struct Failure {
  name @0 :Text;
  code @1 :Int32;
}
