@0xe1a2b3c4d5e6f70b;

struct Broken {
  field @0 :NoSuchType;
}
