@0xe96c8dd5a7f46aae;
# Imported by service.capnp.

enum Kind {
  small @0;
  large @1;
}

struct Thing {
  label @0 :Text;
  kind @1 :Kind = large;
  payload @2 :Data;
}
