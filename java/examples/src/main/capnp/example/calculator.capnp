# Wire-identical to libmultiprocess's example calculator.
@0xb67dbf34061180a9;

using Cxx = import "/capnp/c++.capnp";
using Proxy = import "/mp/proxy.capnp";

interface CalculatorInterface $Proxy.wrap("Calculator") {
  destroy @0 (context :Proxy.Context) -> ();
  solveEquation @1 (context :Proxy.Context, eqn :Text) -> ();
}
