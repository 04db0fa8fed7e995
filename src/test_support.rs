//! What the unit tests share: how much work a test does under Miri.

/// `native` when the tests run natively, `miri` under Miri (`make miri`), which interprets every
/// instruction and is thousands of times slower: loop counts and input sizes of the heavier
/// tests go through this, so that Miri still runs every test, on fewer or smaller cases.
pub(crate) const fn native_or_miri(native: usize, miri: usize) -> usize {
    if cfg!(miri) {
        miri
    } else {
        native
    }
}
