# Deliberately reuses types.capnp's file ID (0xf2e7db29c43486bf). Loading
# this together with types.capnp must fail with a duplicate-ID error.

@0xf2e7db29c43486bf;

struct Clash {
    value @0 :Int32;
}
