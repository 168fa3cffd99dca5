//! Security lab app (being written, issue 10).
