@0xd238e52672f1516b;
# Cross-file imports: types of an imported file are generated too, in the same package.

using Things = import "things.capnp";

interface Store {
  put @0 (thing :Things.Thing) -> (result :Things.Thing);
  kind @1 (kind :Things.Kind) -> (result :Things.Kind);
}
