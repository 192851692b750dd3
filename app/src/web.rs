//! The few browser APIs the app needs beyond Leptos: downloads, reading dropped or picked
//! files, a clock. Everything else about the browser stays in `persist`.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Offers `text` as a download named `file_name` and returns the object URL (kept alive so
/// the page can link to it again; revoke it with [`revoke`]).
pub fn download(file_name: &str, text: &str, mime: &str) -> Option<String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let document = web_sys::window()?.document()?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    a.set_href(&url);
    a.set_download(file_name);
    a.click();
    Some(url)
}

pub fn revoke(url: &str) {
    let _ = web_sys::Url::revoke_object_url(url);
}

/// The text of a file the user picked or dropped.
pub async fn read_text(file: &web_sys::File) -> Result<String, String> {
    let value = JsFuture::from(file.text())
        .await
        .map_err(|_| format!("could not read {}", file.name()))?;
    value
        .as_string()
        .ok_or_else(|| format!("{} is not text", file.name()))
}

/// The text at `url` on this site (Learn's topics and scenarios, fetched when Learn opens).
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let failed = || format!("could not fetch {url}");
    let resp: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| failed())?
        .dyn_into()
        .map_err(|_| failed())?;
    if !resp.ok() {
        return Err(format!("could not fetch {url} (HTTP {})", resp.status()));
    }
    let text = JsFuture::from(resp.text().map_err(|_| failed())?)
        .await
        .map_err(|_| failed())?;
    text.as_string().ok_or_else(failed)
}

/// Milliseconds since the Unix epoch (`Date.now()`).
pub fn epoch_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// Milliseconds since navigation started (`performance.now()`).
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}
