//! Putting lists in order, for the checker.
//!
//! The standard library's `sort_by` is generic: every list of a different type that the
//! checker sorts compiles a copy of the whole sort into the WebAssembly (about 4.7 KB each,
//! eight of them). These functions sort the list's positions instead, with one copy of the
//! sort for every list, and then swap the items into that order. They are stable, as
//! `sort_by` is: items that compare equal keep the order they had.

use std::cmp::Ordering;

/// Sorts `items` stably with `compare`, as `slice::sort_by` does.
pub fn sort_by<T>(items: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    let order = positions(items.len(), &|i, j| compare(&items[i], &items[j]));
    // Position `i` takes the item that was at `order[i]`. That item may have been swapped
    // away already, by an earlier position taking its place: it then sits where that
    // position's item was, so follow the moves until a place not yet filled.
    for i in 0..order.len() {
        let mut from = order[i];
        while from < i {
            from = order[from];
        }
        items.swap(i, from);
    }
}

/// Sorts `items` stably by `key`, lowest first, as `slice::sort_by_key` does.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// The positions `0..n` in the order `compare` gives them, equal ones in their own order.
/// Not generic: the one sort the checker compiles.
fn positions(n: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_unstable_by(|&i, &j| compare(i, j).then(i.cmp(&j)));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_as_the_standard_library_does_and_keeps_equal_items_in_order() {
        // Pairs sorted by their first number only: the second shows whether equal ones kept
        // their order. Lists of every length up to 60, from a simple generator, with many
        // equal keys and with few.
        let mut seed = 7u32;
        for (len, range) in (0..60).flat_map(|len| [(len, 5), (len, 1000)]) {
            let list: Vec<(u32, usize)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    ((seed >> 16) % range, i)
                })
                .collect();
            let mut ours = list.clone();
            sort_by_key(&mut ours, |p| p.0);
            let mut std = list.clone();
            std.sort_by_key(|p| p.0);
            assert_eq!(ours, std, "{list:?}");
            let mut reversed = list.clone();
            sort_by(&mut reversed, |a, b| b.0.cmp(&a.0));
            std.sort_by_key(|p| std::cmp::Reverse(p.0));
            assert_eq!(reversed, std, "{list:?}");
        }
    }

    #[test]
    fn moves_items_without_copying_them() {
        let mut words = vec![
            String::from("pear"),
            "fig".into(),
            "apple".into(),
            "kiwi".into(),
        ];
        sort_by_key(&mut words, String::len);
        assert_eq!(words, ["fig", "pear", "kiwi", "apple"]);
    }
}
