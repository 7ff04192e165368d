@0x9c7117a88841574e;
# Unions (unnamed and named), groups, an Optional pair, defaults, nested types and consts.

const maxSides :UInt32 = 12;
const greeting :Text = "hello";

struct Shape {
  const unitRadius :Float64 = 1.0;

  enum Fill {
    none @0;
    solid @1;
    hatched @2;
  }

  name @0 :Text = "shape";
  fill @1 :Fill = solid;
  union {
    circle :group {
      radius @2 :Float64;
    }
    polygon :group {
      sides @3 :UInt32;
      side @4 :Float64;
    }
    empty @5 :Void;
  }
  style :union {
    plain @6 :Void;
    color @7 :UInt32;
  }
  # Bitcoin Core's optional convention: hasX and x read as one Optional.
  hasWeight @8 :Bool;
  weight @9 :UInt64;
}

interface Shapes {
  # The largest shape, if there is one (Bitcoin Core's getTip shape).
  largest @0 () -> (result :Shape, hasResult :Bool);
  area @1 (shape :Shape) -> (result :Float64);
  describe @2 (shape :Shape) -> (name :Text, sides :UInt32, fill :Shape.Fill);
}
