//! Workspace-level tests live in `tests/tests/`. This library is empty on purpose.
