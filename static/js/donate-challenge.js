/* The donation form's defence against card testing: ALTCHA's widget, self-hosted.
 *
 * Only when the server says so (it has seen many unpaid checkouts lately) does the
 * form get ALTCHA's widget, which solves a small proof of work before the form is
 * sent. The page may come from the cache, so we ask the challenge URL once the donor
 * starts on the form, unless the page itself says the check is on. The widget, its
 * stylesheet and its worker are our static files (static/vendor/altcha/), built
 * without inline styles or blob: workers. Nothing about the visitor is collected.
 * Without this script the form still works whenever the check is off.
 */
(function () {
  "use strict";

  // Resolves with the widget once it is ready for the form's submit event.
  function addWidget(form) {
    var widget = form.querySelector("altcha-widget");
    if (widget) return Promise.resolve(widget);
    return window.SolidarityAltcha.load(form).then(function () {
      widget = document.createElement("altcha-widget");
      widget.setAttribute("challenge", form.getAttribute("data-challenge-url"));
      widget.setAttribute("auto", "onsubmit");
      widget.setAttribute("name", "altcha");
      widget.setAttribute("language", form.getAttribute("data-altcha-language"));
      widget.setAttribute("configuration", JSON.stringify({
        hideLogo: true,
        hideFooter: true,
        humanInteractionSignature: false,
        credentials: "same-origin"
      }));
      var ready = new Promise(function (resolve) {
        widget.addEventListener("load", function () { resolve(widget); }, { once: true });
      });
      form.querySelector("[data-challenge-slot]").appendChild(widget);
      return ready;
    });
  }

  function enhance(form) {
    var needed = null;   // a Promise of the widget, or of null when not needed
    var known = false;   // whether that Promise has resolved
    var waiting = false; // a submit held back until it has
    var byWidget = false; // the widget is verifying because of a submit: it sends
    var queued = false;

    function check() {
      if (needed) return needed;
      needed = fetch(form.getAttribute("data-challenge-url"), {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      })
        .then(function (response) { return response.json(); })
        .then(function (data) { return data.required ? addWidget(form) : null; })
        .catch(function () { return null; }); // the server will say if it minds
      return needed;
    }

    if (form.hasAttribute("data-challenge-required")) {
      needed = addWidget(form).catch(function () { return null; });
    } else {
      form.addEventListener("focusin", check, { once: true });
    }

    // Registered before the widget's own listener, so this runs first. It holds
    // the form back until we know whether a proof is needed, and while the widget
    // is working on one the donor started by ticking its box.
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      var widget = form.querySelector("altcha-widget");
      if (widget && widget.getState) {
        var state = widget.getState();
        if (state === "unverified") byWidget = true; // the widget takes over
        if (state === "verifying") {
          event.preventDefault();
          if (!byWidget && !queued) {
            queued = true;
            widget.addEventListener("verified", function () {
              queued = false;
              setTimeout(function () { form.requestSubmit(submitter); }, 0);
            }, { once: true });
          }
        }
        return;
      }
      if (known) return; // no proof needed
      event.preventDefault();
      if (waiting) return;
      waiting = true;
      check().then(function () {
        known = true;
        waiting = false;
        // A later task: while this submit event is still being fired, the
        // browser ignores a new one.
        setTimeout(function () { form.requestSubmit(submitter); }, 0);
      });
    }, { capture: true });

    // Back from Stripe (the page restored from the back/forward cache): the widget
    // starts afresh, and so do we.
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) byWidget = queued = false;
    });
  }

  var forms = document.querySelectorAll("form[data-challenge-url]");
  for (var i = 0; i < forms.length; i++) enhance(forms[i]);
})();
