// Starts the page: imports the wasm-bindgen module and instantiates the WebAssembly. It is a
// file of its own, not the inline script trunk would write, so that the page's
// Content-Security-Policy can allow scripts from the page's own files only (index.html).
// trunk fills in the hashed file names (Trunk.toml, `pattern_script`).
(function () {
  var me = document.currentScript;
  import(me.dataset.js).then(function (m) {
    return m.default({ module_or_path: me.dataset.wasm });
  });
})();
