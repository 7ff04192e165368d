@0xe1a2b3c4d5e6f70a;

struct Item {
  name @0 :Text;
}
