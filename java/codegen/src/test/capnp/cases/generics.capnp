@0xba6331c15a605b3c;
# Generic structs: a record with type variables, bound where it is used.

struct Pair(First, Second) {
  first @0 :First;
  second @1 :Second;
}

struct Point {
  x @0 :Int32;
  y @1 :Int32;
}

struct Labelled {
  names @0 :Pair(Text, Text);
  where @1 :Pair(Text, Point);
  history @2 :List(Pair(Text, Point));
}

interface Pairs {
  swap @0 (pair :Pair(Text, Text)) -> (result :Pair(Text, Text));
  label @1 (value :Labelled) -> (result :Labelled);
}
