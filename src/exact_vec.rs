//! Vectors deserialised at their exact length (the cache's large ones).

/// The most items [`deserialize`] makes room for ahead (a length read from
/// a damaged cache entry is only reserved address space, never touched).
const MAX_PREALLOCATED: usize = 1 << 20;

/// A sequence read into a vector of the length the format gives (the
/// cache's postcard does), not one grown by doubling: a large deck's notes
/// and cards, and the replayed card states, are the largest allocations of
/// a start, and growing them holds two copies at once. For
/// `#[serde(deserialize_with = "crate::exact_vec::deserialize")]`.
pub fn deserialize<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    struct Exact<T>(std::marker::PhantomData<T>);
    impl<'de, T: serde::Deserialize<'de>> serde::de::Visitor<'de> for Exact<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a sequence")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let room = seq.size_hint().unwrap_or(0).min(MAX_PREALLOCATED);
            let mut items = Vec::with_capacity(room);
            while let Some(item) = seq.next_element()? {
                items.push(item);
            }
            Ok(items)
        }
    }
    deserializer.deserialize_seq(Exact(std::marker::PhantomData))
}

#[cfg(test)]
mod tests {
    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Holder {
        #[serde(deserialize_with = "super::deserialize")]
        items: Vec<u64>,
    }

    #[test]
    fn the_vector_is_exactly_as_long_as_the_sequence() {
        let holder = Holder {
            items: (0..1000).collect(),
        };
        let bytes = postcard::to_stdvec(&holder).unwrap();
        let read: Holder = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(read, holder);
        assert_eq!(read.items.capacity(), 1000);
    }

    #[test]
    fn a_damaged_length_is_an_error_not_an_allocation_of_it() {
        // A length prefix of u64::MAX (varint) and no items after it.
        let bytes = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
        assert!(postcard::from_bytes::<Holder>(&bytes).is_err());
    }
}
