"""Per-check designs that trigger each finding, and their twins where the same thing is fine."""
