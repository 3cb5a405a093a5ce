#!/bin/bash -eu
# ClusterFuzzLite's entry point: the project's own OSS-Fuzz build script.
exec "$SRC/vtlab/fuzz/oss-fuzz/build.sh"
