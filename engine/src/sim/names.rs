//! The names a timeline repeats (services, task definitions, instances, capacity providers,
//! zones), each held once: a day of a cluster at ECS's quotas records tens of thousands of task
//! lives and events that name a few hundred services and a few thousand instances, and a
//! string per mention was most of the timeline's memory. The JSON is the same: a shared name
//! serialises as its text.

use std::collections::HashSet;
use std::sync::Arc;

/// A name shared by every record that mentions it.
pub type Name = Arc<str>;

/// The names met so far, one allocation each.
#[derive(Debug, Clone, Default)]
pub(super) struct Names {
    held: HashSet<Name>,
}

impl Names {
    /// `text` as a shared name (the same allocation every time it is asked for).
    pub fn of(&mut self, text: &str) -> Name {
        if let Some(n) = self.held.get(text) {
            return n.clone();
        }
        let n: Name = Arc::from(text);
        self.held.insert(n.clone());
        n
    }
}

#[cfg(test)]
mod tests {
    use super::Names;
    use std::sync::Arc;

    #[test]
    fn a_name_asked_twice_is_held_once() {
        let mut names = Names::default();
        let a = names.of("web");
        let b = names.of(&String::from("web"));
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(&*names.of("api"), "api");
        assert!(!Arc::ptr_eq(&a, &names.of("api")));
    }
}
