@0xd5b2e3f405162738;

struct Length {
  meters @0 :Float64;
}

struct Unused {
  nothing @0 :Void;
}

interface Ruler {
  measure @0 () -> (result :Length);
}
