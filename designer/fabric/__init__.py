"""The fabric compiler: design document -> plan -> findings -> files -> bundle. Free of Django."""

GENERATOR = "weft"
GENERATOR_VERSION = "0.1.0"
