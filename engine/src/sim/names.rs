//! The names a timeline repeats (services, task definitions, instances, capacity providers,
//! zones), each held once: a day of a cluster at ECS's quotas records tens of thousands of task
//! lives and events that name a few hundred services and a few thousand instances, and a
//! string per mention was most of the timeline's memory. The JSON is the same: a shared name
//! serialises as its text.

use std::collections::HashSet;
use std::sync::Arc;

/// A name shared by every record that mentions it.
pub type Name = Arc<str>;

/// How many of the names last asked for are looked at before the set.
const RECENT: usize = 8;

/// The names met so far, one allocation each.
#[derive(Debug, Clone, Default)]
pub(super) struct Names {
    held: HashSet<Name>,
    /// Some of the names last asked for (the next to replace at `next`): a task's service,
    /// capacity provider and zone are mostly those of the task before it, and a compare of
    /// a few short strings costs less than hashing one (the 55 000 tasks a simulation of the
    /// quota plan starts with were ~4 % of a whole `deploy` process in `Names::of`).
    recent: Vec<Name>,
    next: usize,
    /// The last task definition asked for: its family, revision and name.
    last_td: Option<(Arc<str>, u32, Name)>,
}

impl Names {
    /// `text` as a shared name (the same allocation every time it is asked for).
    pub fn of(&mut self, text: &str) -> Name {
        if let Some(n) = self.recent.iter().find(|n| ***n == *text) {
            return n.clone();
        }
        let n = match self.held.get(text) {
            Some(n) => n.clone(),
            None => {
                let n: Name = Arc::from(text);
                self.held.insert(n.clone());
                n
            }
        };
        if self.recent.len() < RECENT {
            self.recent.push(n.clone());
        } else {
            self.recent[self.next] = n.clone();
            self.next = (self.next + 1) % RECENT;
        }
        n
    }

    /// `family:revision` as a shared name, not formatted again when it is the last one asked.
    pub fn task_definition(&mut self, family: &Arc<str>, revision: u32) -> Name {
        if let Some((f, r, n)) = &self.last_td {
            if *r == revision && (Arc::ptr_eq(f, family) || **f == **family) {
                return n.clone();
            }
        }
        let n = self.of(&format!("{family}:{revision}"));
        self.last_td = Some((family.clone(), revision, n.clone()));
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

    /// Past the recent names and back, and through the task definitions' memo, a name is
    /// still the one allocation the set holds.
    #[test]
    fn a_name_is_one_allocation_through_the_recent_names_and_the_memo() {
        let mut names = Names::default();
        let first: Vec<_> = (0..20).map(|i| names.of(&format!("n{i}"))).collect();
        for (i, n) in first.iter().enumerate() {
            assert!(Arc::ptr_eq(n, &names.of(&format!("n{i}"))), "n{i}");
            assert!(Arc::ptr_eq(
                n,
                names.held.get(&*format!("n{i}")).expect("held")
            ));
        }
        let web: Arc<str> = Arc::from("web");
        let a = names.task_definition(&web, 3);
        assert_eq!(&*a, "web:3");
        assert!(Arc::ptr_eq(&a, &names.of("web:3")));
        assert!(Arc::ptr_eq(
            &a,
            &names.task_definition(&Arc::from("web"), 3)
        ));
        assert_eq!(&*names.task_definition(&web, 4), "web:4");
        assert_eq!(&*names.task_definition(&Arc::from("api"), 4), "api:4");
        assert!(Arc::ptr_eq(&a, &names.task_definition(&web, 3)));
    }
}
