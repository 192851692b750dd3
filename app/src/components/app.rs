//! The page: toolbar, banners, the board (or, while a run is shown, the cluster at the
//! scrubbed moment), the time panel under it and the side panel; and the one place that
//! handles a file dropped anywhere on the page (the HTML5 drop event).

use leptos::ev;
use leptos::prelude::*;

use super::banner::Banners;
use super::board::BoardView;
use super::drag::{provide_drags, DragGhost};
use super::export_dialog::ExportDialog;
use super::import_dialog::ImportDialog;
use super::learn::provide_learn;
use super::learn::view::{LearnHome, LearnPanel};
use super::open_plan::import_file;
use super::review::{provide_review, ReviewView};
use super::share::{provide_share, LinkBanner};
use super::shortcuts::{self, provide_sheet, ShortcutSheet};
use super::sidebar::Sidebar;
use super::theme::provide_theme;
use super::time::{provide_time, MomentBoard, TimePanel};
use super::toolbar::Toolbar;
use super::ui::provide_ui;
use crate::persist;
use crate::store::provide_store;

fn dragged_files(ev: &web_sys::DragEvent) -> bool {
    ev.data_transfer()
        .map(|dt| dt.types().includes(&"Files".into(), 0))
        .unwrap_or(false)
}

#[component]
pub fn App() -> impl IntoView {
    let store = provide_store(persist::start());
    store.autosave();
    let ui = provide_ui();
    provide_theme();
    let drags = provide_drags();
    let sheet = provide_sheet();
    // A share link in the address wins over the saved plan (it says so in a banner).
    let share = provide_share(store);
    // Runs of deployments and simulations; while one is shown, the board shows its moment.
    let time = provide_time(store);
    // Learn: its addresses (`#learn...`), and scenarios played in a session of the store.
    let learn = provide_learn(store, ui, time);
    // The Review view: in place of the board and the side panel while open (not in Learn).
    let review = provide_review(store, time, learn.open);
    let reviewing = Signal::derive(move || review.open.get() && !learn.open.get());
    store.save_progress();
    // Every key: drags first, then Escape, undo/redo, `?` and `/` (shortcuts.rs).
    shortcuts::install(store, ui, drags, sheet, share, time);

    // Dropping a file anywhere on the page imports it.
    let _ = window_event_listener(ev::dragover, move |ev| {
        if dragged_files(&ev) {
            ev.prevent_default();
            ui.dragging_file.set(true);
        }
    });
    let _ = window_event_listener(ev::dragleave, move |ev| {
        // Leaving the window (not just moving between elements) has no related target.
        if ev.related_target().is_none() {
            ui.dragging_file.set(false);
        }
    });
    let _ = window_event_listener(ev::drop, move |ev| {
        ui.dragging_file.set(false);
        let file = ev
            .data_transfer()
            .and_then(|dt| dt.files())
            .and_then(|f| f.get(0));
        if let Some(file) = file {
            ev.prevent_default();
            import_file(store, ui, file, true);
        }
    });

    view! {
        <div
            id="app"
            class="app"
            data-learn=move || {
                if learn.at_home() {
                    "home"
                } else if learn.playing.with(Option::is_some) {
                    "play"
                } else {
                    "off"
                }
            }
            data-hide-outcome=move || learn.hides_outcome().to_string()
            data-learn-view=move || learn.playing.with(|p| p.as_ref().map(|p| p.view().to_string()))
        >
            <Toolbar />
            <Banners />
            <div class="banners">
                <LinkBanner />
            </div>
            <ImportDialog />
            <ExportDialog />
            <Show when=move || learn.at_home()>
                <LearnHome />
            </Show>
            <ReviewView shown=reviewing />
            <div class="layout" hidden=move || learn.at_home() || reviewing.get()>
                <div class="main-col" id="cluster">
                    <LearnPanel />
                    <nav class="page-nav" aria-label="Page sections">
                        // The top of the column: the plan's board or, while a run is shown, the
                        // cluster at the scrubbed moment.
                        <a href="#cluster">"Cluster"</a>
                        <a href="#time-title" data-testid="time-link">"Time: deployments and simulations"</a>
                    </nav>
                    // The plan's board stays mounted (and keeps its state) behind the moment.
                    <div class="plan-board" hidden=move || time.at_moment()>
                        <BoardView />
                    </div>
                    <MomentBoard />
                    <TimePanel />
                </div>
                <Sidebar />
            </div>
            // Learn's one live line (what was opened, graded, played out).
            <p class="visually-hidden" role="status" aria-live="polite" data-testid="learn-said">
                {move || learn.said.get()}
            </p>
            <DragGhost />
            <ShortcutSheet />
            <Show when=move || ui.dragging_file.get()>
                <div class="drop-overlay" aria-hidden="true">
                    <p>"Drop a plan file to open it"</p>
                </div>
            </Show>
        </div>
    }
}
