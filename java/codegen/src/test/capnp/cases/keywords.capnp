@0xea2b93f3b5a3cc6c;
# Java keywords and names the generated code uses itself, as field, param and method names.

struct Keywords {
  class @0 :Text;
  new @1 :Int32;
  toString @2 :Text;
  builder @3 :Int32;
  default @4 :Bool;
  hashCode @5 :UInt8;

  struct Builder {
    value @0 :Int32;
  }
}

interface Keyworded {
  close @0 () -> ();
  connect @1 (for :Int32) -> (result :Int32);
  do @2 (wait :Text, impl :Text) -> (if :Text);
  run @3 () -> ();
  runAsync @4 () -> (result :Int32);
}
