"""The designer's business logic: plain keyword-only functions that views, tasks and commands call."""
