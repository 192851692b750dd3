//! The page's components. Each reads the [`crate::store::Store`] (and the view state in
//! [`ui::Ui`]) from context; none holds domain state of its own.

pub mod afresh;
pub mod app;
pub mod banner;
pub mod board;
pub mod deferred;
pub mod drag;
pub mod editors;
pub mod explain;
pub mod export_dialog;
pub mod import_dialog;
pub mod instance;
pub mod learn;
pub mod open_plan;
pub mod palette;
pub mod review;
pub mod share;
pub mod shortcuts;
pub mod sidebar;
pub mod task_chip;
pub mod theme;
pub mod time;
pub mod toolbar;
pub mod ui;
