//! Tuple widths: every tuple of an evaluation is a `[Word; W]` array, `W`
//! the program's widest relation rounded up to one of a few widths, and the
//! evaluator is instantiated once per width.

/// Smallest supported tuple width that holds `n` columns.
pub fn width_for(n: usize) -> Option<usize> {
    [1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 24, 32]
        .into_iter()
        .find(|&w| w >= n)
}

/// Calls `$body` with `const $W: usize` set to `$width` (one of the widths
/// of [`width_for`]).
#[macro_export]
macro_rules! with_width {
    ($width:expr, $W:ident => $body:expr) => {
        match $width {
            1 => {
                const $W: usize = 1;
                $body
            }
            2 => {
                const $W: usize = 2;
                $body
            }
            3 => {
                const $W: usize = 3;
                $body
            }
            4 => {
                const $W: usize = 4;
                $body
            }
            5 => {
                const $W: usize = 5;
                $body
            }
            6 => {
                const $W: usize = 6;
                $body
            }
            8 => {
                const $W: usize = 8;
                $body
            }
            10 => {
                const $W: usize = 10;
                $body
            }
            12 => {
                const $W: usize = 12;
                $body
            }
            16 => {
                const $W: usize = 16;
                $body
            }
            24 => {
                const $W: usize = 24;
                $body
            }
            _ => {
                const $W: usize = 32;
                $body
            }
        }
    };
}
