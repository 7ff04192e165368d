/** The consumer ci/check-consumer.sh runs on the module path: a named module that requires mpjava. */
module dev.mpjava.consumer {
    requires dev.mpjava;
}
