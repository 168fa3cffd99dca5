//! The lab's built-in wordlist of weak secret keys (being written).
