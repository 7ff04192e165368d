@0xb60fe016344e17ac;
# Type names that clash with the library's and java.lang's, and with generated nested names.

struct Client {
  id @0 :Int32;
}

struct String {
  text @0 :Text;
}

interface Holder {
  struct Client {
    name @0 :Text;
  }
  wrap @0 (client :Client, label :String) -> (result :Holder.Client, text :Text);
}
