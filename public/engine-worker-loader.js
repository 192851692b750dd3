// Starts the engine worker (worker/, built by trunk with the no-modules bindgen target): the
// page creates `new Worker("/engine-worker-loader.js")` when a view first needs the engine.
importScripts("./engine-worker.js");
wasm_bindgen({ module_or_path: "./engine-worker_bg.wasm" });
