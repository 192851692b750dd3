//! Light and dark: the page follows the system (`prefers-color-scheme`) unless the user chose
//! one with the toggle; the choice is remembered in the browser. The choice is the
//! `data-theme` attribute of `<html>` (`light` or `dark`, absent for the system's), which the
//! style sheet reads.

use leptos::prelude::*;

/// Where the choice is kept.
pub const THEME_KEY: &str = "ecs-planner.theme";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    System,
    Light,
    Dark,
}

impl Theme {
    /// What the toggle switches to next.
    pub fn next(self) -> Theme {
        match self {
            Theme::System => Theme::Dark,
            Theme::Dark => Theme::Light,
            Theme::Light => Theme::System,
        }
    }

    /// The stored and `data-theme` value (`None`: follow the system).
    pub fn as_attr(self) -> Option<&'static str> {
        match self {
            Theme::System => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
        }
    }

    pub fn parse(s: Option<&str>) -> Theme {
        match s {
            Some("light") => Theme::Light,
            Some("dark") => Theme::Dark,
            _ => Theme::System,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Theme::System => "System",
            Theme::Light => "Light",
            Theme::Dark => "Dark",
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn apply(theme: Theme) {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    let _ = match theme.as_attr() {
        Some(v) => root.set_attribute("data-theme", v),
        None => root.remove_attribute("data-theme"),
    };
}

/// Reads the remembered choice, applies it, and keeps the page and the browser in step with
/// the toggle (an effect: it syncs to the outside).
pub fn provide_theme() -> RwSignal<Theme> {
    let stored = storage().and_then(|s| s.get_item(THEME_KEY).ok().flatten());
    let theme = RwSignal::new(Theme::parse(stored.as_deref()));
    apply(theme.get_untracked());
    Effect::new(move |prev: Option<Theme>| {
        let t = theme.get();
        if prev.is_some_and(|p| p != t) {
            apply(t);
            if let Some(s) = storage() {
                let _ = match t.as_attr() {
                    Some(v) => s.set_item(THEME_KEY, v),
                    None => s.remove_item(THEME_KEY),
                };
            }
        }
        t
    });
    provide_context(ThemeChoice(theme));
    theme
}

#[derive(Clone, Copy)]
struct ThemeChoice(RwSignal<Theme>);

#[component]
pub fn ThemeToggle() -> impl IntoView {
    let ThemeChoice(theme) = expect_context::<ThemeChoice>();
    view! {
        <button
            type="button"
            data-testid="theme-toggle"
            data-theme-choice=move || theme.get().label().to_ascii_lowercase()
            aria-label=move || {
                let t = theme.get();
                format!(
                    "Colour theme: {}. Switch to {}",
                    match t {
                        Theme::System => "as the system",
                        _ => t.label(),
                    },
                    t.next().label().to_lowercase(),
                )
            }
            title="Light, dark, or as the system (remembered in this browser)"
            on:click=move |_| theme.update(|t| *t = t.next())
        >
            {move || format!("◐ {}", theme.get().label())}
        </button>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_toggle_cycles_and_round_trips() {
        let mut t = Theme::System;
        let mut seen = vec![];
        for _ in 0..3 {
            seen.push(t);
            assert_eq!(Theme::parse(t.as_attr()), t);
            t = t.next();
        }
        assert_eq!(t, Theme::System);
        assert_eq!(seen, [Theme::System, Theme::Dark, Theme::Light]);
        assert_eq!(Theme::parse(Some("purple")), Theme::System);
    }
}
