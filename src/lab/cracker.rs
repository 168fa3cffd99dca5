//! The in-page key cracker's job: candidates, slices, progress and rate (being written).
