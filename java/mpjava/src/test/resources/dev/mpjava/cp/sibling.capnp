@0xe1a2b3c4d5e6f709;

struct Count {
  n @0 :UInt32;
}
