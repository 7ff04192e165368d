@0xe1a2b3c4d5e6f70d;

interface Later {
  ping @0 () -> ();
}
