//! `columns!`: a struct of per-household columns and its chunk view.
//!
//! State is kept as a struct of arrays, one `Vec` per quantity, indexed by
//! household. The household pass runs on fixed-size chunks of households in
//! parallel, so each column struct also needs a view of one chunk of every
//! column. This macro declares both from one list of fields, so a new column
//! cannot be forgotten in the chunking. Columns listed under `wide` hold one
//! value per household and commodity (`width` values a household).

macro_rules! columns {
    (
        $(#[$m:meta])*
        pub struct $name:ident / $chunk:ident {
            $($(#[$fm:meta])* $f:ident: $t:ty),* $(,)?
        }
        $(wide { $($(#[$wm:meta])* $wf:ident: $wt:ty),* $(,)? })?
    ) => {
        $(#[$m])*
        #[derive(Debug, Clone, Default)]
        pub struct $name {
            $($(#[$fm])* pub $f: Vec<$t>,)*
            $($($(#[$wm])* pub $wf: Vec<$wt>,)*)?
        }

        /// One chunk of households' slice of every column.
        pub struct $chunk<'a> {
            $(pub $f: &'a mut [$t],)*
            $($(pub $wf: &'a mut [$wt],)*)?
        }

        impl $name {
            /// Split every column into chunks of `size` households (`size ×
            /// width` entries for the per-commodity columns), in order.
            #[allow(unused_variables)]
            pub fn chunks(&mut self, size: usize, width: usize) -> Vec<$chunk<'_>> {
                $(let mut $f = self.$f.chunks_mut(size);)*
                $($(let mut $wf = self.$wf.chunks_mut(size * width);)*)?
                let mut out = Vec::new();
                loop {
                    match ($($f.next(),)* $($($wf.next(),)*)?) {
                        ($(Some($f),)* $($(Some($wf),)*)?) => out.push($chunk { $($f,)* $($($wf,)*)? }),
                        _ => break,
                    }
                }
                out
            }
        }
    };
}
