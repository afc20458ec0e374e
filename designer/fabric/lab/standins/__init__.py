"""Scripts the lab binds over the real ones inside each node (standard library only): see noderoot."""
