# Declarations the introspection test reads back: generics, inheritance, nesting,
# unions, groups, defaults, consts, annotations, and a type from another file.
@0xc4a1d2e3f4051627;

using Proxy = import "/mp/proxy.capnp";
using Units = import "units.capnp";

annotation note(*) :Text;

const maxSides :UInt32 = 12;
const greeting :Text = "hi\tthere";
const origin :Point = (x = 1, y = -2);

enum Kind {
  circle @0;
  square @1 $note("box");
}

struct Point {
  x @0 :Int32 = 7;
  y @1 :Int32;
}

struct Box(T) {
  value @0 :T;
  label @1 :Text = "none";
}

struct Shape {
  kind @0 :Kind = square;
  size @1 :Units.Length;
  corners @2 :List(Point) = [(x = 1), (y = 2)];
  big @3 :UInt64 = 18446744073709551615;
  ratio @4 :Float64 = 0.5;
  blob @5 :Data = 0x"0aff";
  union {
    plain @6 :Void;
    tagged @7 :Text;
  }
  style :group {
    color @8 :UInt8 = 3;
    thick @9 :Bool = true;
  }
  boxed @10 :Box(Text);

  struct Nested {
    deep @0 :Int8;
  }
}

interface Drawer {
  draw @0 (context :Proxy.Context, shape :Shape) -> (ok :Bool);
}

interface FancyDrawer extends(Drawer) {
  fancy @0 (boxes :List(Box(Point))) -> (result :Text $note("answer"));
}
