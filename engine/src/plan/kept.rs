//! What a higher layer computed from the plan, kept with it so that it is not computed again:
//! the loader's resolved cluster (`cluster::resolved`), which placement would otherwise resolve
//! once more on every placement (5 000 instances, ten strings each). The plan's fields are
//! public and edited in place, so what is kept carries what it was computed from, and its
//! reader uses it only while the plan still says that. Not part of the plan: not written, not
//! compared, shared by copies.

use std::any::Any;
use std::sync::Arc;

/// A value kept with the plan, of a type this layer does not know (see the module).
#[derive(Clone, Default)]
pub struct Kept(Option<Arc<dyn Any + Send + Sync>>);

impl Kept {
    /// Keeps `value`.
    pub fn new<T: Any + Send + Sync>(value: T) -> Kept {
        Kept(Some(Arc::new(value)))
    }

    /// The value kept, when there is one of type `T`.
    pub fn get<T: Any + Send + Sync>(&self) -> Option<&T> {
        self.0.as_deref()?.downcast_ref()
    }
}

/// Plans compare by what they say: what is kept is not part of it.
impl PartialEq for Kept {
    fn eq(&self, _: &Kept) -> bool {
        true
    }
}

impl std::fmt::Debug for Kept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Kept(..)"
        } else {
            "Kept(none)"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_value_is_read_back_as_its_own_type_only() {
        let k = Kept::new(7u32);
        assert_eq!(k.get::<u32>(), Some(&7));
        assert_eq!(k.get::<u64>(), None);
        assert_eq!(Kept::default().get::<u32>(), None);
        assert_eq!(k.clone().get::<u32>(), Some(&7));
        assert_eq!(k, Kept::default());
    }
}
