/* ALTCHA's widget, self-hosted, loaded once for any form that asks for it.
 *
 * Shared by the donate form (donate-challenge.js) and the report form
 * (intake-seal.js). The form carries the widget's script, stylesheet, worker,
 * language and our translated strings in data-altcha-* attributes. The worker is a
 * static file, so no blob: worker or inline style is needed under our CSP.
 */
(function () {
  "use strict";

  var ALGORITHMS = ["PBKDF2/SHA-256", "PBKDF2/SHA-384", "PBKDF2/SHA-512"];
  var loaded = null;

  // Resolves once <altcha-widget> is defined and speaks the page's language.
  function load(form) {
    if (loaded) return loaded;
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = form.getAttribute("data-altcha-css");
    document.head.appendChild(css);
    loaded = new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.type = "module";
      script.src = form.getAttribute("data-altcha-script");
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    }).then(function () {
      var worker = form.getAttribute("data-altcha-worker");
      ALGORITHMS.forEach(function (name) {
        window.$altcha.algorithms.set(name, function () { return new Worker(worker); });
      });
      // The page's language, in our own words (Django's translations).
      var language = form.getAttribute("data-altcha-language");
      var strings = JSON.parse(form.getAttribute("data-altcha-strings"));
      var base = window.$altcha.i18n.get(language) || window.$altcha.i18n.get("en");
      window.$altcha.i18n.set(language, Object.assign({}, base, strings));
      return customElements.whenDefined("altcha-widget");
    });
    return loaded;
  }

  window.SolidarityAltcha = { load: load };
})();
