# The example's init interface, wire-identical to libmultiprocess's example (same file
# ID, names, method numbers and types), so these programs and upstream's mpexample,
# mpcalculator and mpprinter can stand in for each other.
@0xba5a7448664901b1;

using Cxx = import "/capnp/c++.capnp";
using Proxy = import "/mp/proxy.capnp";
using Calculator = import "calculator.capnp";
using Printer = import "printer.capnp";

interface InitInterface $Proxy.wrap("Init") {
  construct @0 (threadMap :Proxy.ThreadMap) -> (threadMap :Proxy.ThreadMap);
  # A calculator that reports through the given printer.
  makeCalculator @1 (context :Proxy.Context, print :Printer.PrinterInterface) -> (result :Calculator.CalculatorInterface);
  makePrinter @2 (context :Proxy.Context) -> (result :Printer.PrinterInterface);
}
