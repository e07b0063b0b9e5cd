/* The report form, sealed in the reporter's browser before anything leaves it.
 *
 * With this script the server never sees a report in the clear: the words and the
 * files are sealed (libsodium's crypto_box_seal, the same sealed box PyNaCl opens)
 * to a key pair made here for this report, and the report's private key is sealed
 * to each reader the page lists (data-readers). Only ciphertext is posted, through
 * a hidden form of our own, so the browser shows the server's answer (the receipt,
 * or the form with an error) as it would after a plain post.
 *
 * Photos are drawn on a canvas and encoded again first: what a camera writes into
 * them (place, time, device) does not survive that.
 *
 * The status page's addition form (form.intake-addition) goes the same way, sealed
 * to the report's own public key (data-report-key): no new key pair, no envelopes,
 * only the receipt code beside the ciphertext so the server can find the report.
 *
 * If libsodium cannot load, the form is posted as it is and the server seals it on
 * arrival (services.submit_report, add_from_reporter): the reporter is never blocked. Everything the
 * script says is in the page's language, from data attributes the template fills
 * with Django's translations. No request goes anywhere but our own origin.
 */
(function () {
  "use strict";

  var form = document.querySelector("form.intake-form[data-readers], form.intake-addition");
  if (!form) return;
  var addition = form.classList.contains("intake-addition");
  var messages = document.getElementById("intake-messages");
  var status = form.querySelector(".intake-form__status");
  var button = form.querySelector("button[type=submit]");
  var filesInput = form.querySelector("input[type=file][name=files]");
  var REQUIRED = addition ? [] : ["person", "relation", "where", "what_happened"];
  var ALLOWED = ["application/pdf", "image/jpeg", "image/png", "image/webp", "application/zip"];
  var IMAGES = ["image/jpeg", "image/png", "image/webp"];
  var limits = {
    count: Number(messages.getAttribute("data-max-files")),
    bytes: Number(messages.getAttribute("data-max-file-bytes")),
    total: Number(messages.getAttribute("data-max-total-bytes"))
  };

  function message(name, values) {
    var text = messages.getAttribute("data-" + name) || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("%(" + key + ")s").join(values[key]);
      text = text.split("%(" + key + ")d").join(values[key]);
    });
    return text;
  }

  function say(text) {
    status.textContent = text || "";
  }

  // --- libsodium, our own copy, loaded as soon as the page is ----------------------

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function withTimeout(promise, ms) {
    return Promise.race([
      promise,
      new Promise(function (resolve, reject) {
        setTimeout(function () { reject(new Error("timeout")); }, ms);
      })
    ]);
  }

  // The core, then the wrappers that define window.sodium over it. The core carries
  // libsodium twice: as WebAssembly and as asm.js (plain JavaScript). Our CSP has no
  // 'wasm-unsafe-eval', so compiling the WebAssembly would only be refused (with a
  // violation report); we decline it at once through the module's instantiateWasm
  // hook, and the core takes its asm.js copy.
  var core = window.libsodium_mod = {
    instantiateWasm: function () {
      setTimeout(function () { core.onAbort(new Error("asm.js, not WebAssembly")); }, 0);
      return {};
    }
  };
  var sodiumReady = loadScript(form.getAttribute("data-sodium-core"))
    .then(function () { return window.libsodium.ready; })
    .then(function () {
      // Taking the asm.js copy, the core drops every property of the module object
      // and copies the new one's, which has no `ready`; the wrappers wait on it.
      if (!window.libsodium.ready) window.libsodium.ready = Promise.resolve();
      return loadScript(form.getAttribute("data-sodium"));
    })
    .then(function () { return window.sodium.ready; })
    .then(function () { return window.sodium; });
  sodiumReady.catch(function () {}); // handled when the reporter sends

  // --- ALTCHA's proof of work, only when the server asks (shared with the donate form: altcha-loader.js) --

  var challenge = null; // a Promise of the widget, or of null when none is needed

  function addWidget() {
    return window.SolidarityAltcha.load(form).then(function () {
      var widget = document.createElement("altcha-widget");
      widget.setAttribute("challenge", form.getAttribute("data-challenge-url"));
      // It starts while the reporter writes; we never let it post the form itself.
      widget.setAttribute("auto", "onfocus");
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
      // The form's own empty field would hide the widget's answer in a plain post.
      var empty = form.querySelector("input[type=hidden][name=altcha]");
      if (empty) empty.remove();
      form.querySelector("[data-challenge-slot]").appendChild(widget);
      return ready;
    });
  }

  function checkChallenge() {
    if (addition) return Promise.resolve(null); // the receipt code's own rate limit
    if (challenge) return challenge;
    challenge = fetch(form.getAttribute("data-challenge-url"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) { return response.json(); })
      .then(function (data) { return data.required ? addWidget() : null; })
      .catch(function () { return null; }); // the server will say if it minds
    return challenge;
  }

  if (addition) {
    // No proof of work for an addition.
  } else if (form.hasAttribute("data-challenge-required")) {
    challenge = addWidget().catch(function () { return null; });
  } else {
    form.addEventListener("focusin", checkChallenge, { once: true });
  }

  // The widget's answer once it has one; null when no proof is needed.
  function solveChallenge() {
    return checkChallenge().then(function (widget) {
      if (!widget) return null;
      var field = function () { return widget.querySelector("input[name=altcha]"); };
      if (widget.getState() === "verified" && field()) return field().value;
      return new Promise(function (resolve, reject) {
        function changed(event) {
          var state = event.detail && event.detail.state;
          if (state === "verified") {
            widget.removeEventListener("statechange", changed);
            resolve((event.detail && event.detail.payload) || (field() && field().value));
          } else if (state === "error" || state === "expired") {
            widget.removeEventListener("statechange", changed);
            reject(new Error("challenge"));
          }
        }
        widget.addEventListener("statechange", changed);
        if (widget.getState() !== "verifying") widget.verify();
      });
    });
  }

  // --- Checking what the reporter wrote ----------------------------------------------

  function container(name) {
    var input = form.elements[name];
    var element = input && (input.length && !input.tagName ? input[0] : input);
    return element && element.closest(".field");
  }

  function clearErrors() {
    // Ours from the last try, and the server's from the last post.
    var old = "[data-intake-error], .field > .errorlist";
    document.querySelectorAll(old + ", #intake-errors, #intake-refusal").forEach(function (node) {
      node.remove();
    });
    form.querySelectorAll(".field--error").forEach(function (node) {
      node.classList.remove("field--error");
    });
    form.querySelectorAll("[aria-invalid]").forEach(function (node) {
      node.removeAttribute("aria-invalid");
    });
  }

  function showError(name, text) {
    var field = container(name);
    if (!field) return;
    field.classList.add("field--error");
    var note = document.createElement("span");
    note.className = "errorlist";
    note.setAttribute("data-intake-error", "");
    note.id = "intake-error-" + name;
    note.textContent = text;
    field.appendChild(note);
    var inputs = field.querySelectorAll("input, textarea");
    inputs.forEach(function (input) {
      input.setAttribute("aria-invalid", "true");
      var described = (input.getAttribute("aria-describedby") || "").split(" ");
      if (described.indexOf(note.id) < 0) described.push(note.id);
      input.setAttribute("aria-describedby", described.join(" ").trim());
    });
  }

  function showSummary(problems) {
    var summary = document.createElement("div");
    summary.className = "errorlist intake-errors";
    summary.setAttribute("role", "alert");
    summary.setAttribute("tabindex", "-1");
    summary.setAttribute("data-intake-error", "");
    var title = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = message("summary");
    title.appendChild(strong);
    summary.appendChild(title);
    var list = document.createElement("ul");
    problems.forEach(function (problem) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      var target = form.elements[problem.name];
      target = target && (target.length && !target.tagName ? target[0] : target);
      link.href = "#" + (target ? target.id : "");
      link.textContent = problem.label + " — " + problem.text;
      item.appendChild(link);
      list.appendChild(item);
    });
    summary.appendChild(list);
    form.insertBefore(summary, form.firstChild);
    summary.focus();
  }

  function labelOf(name) {
    var field = container(name);
    var label = field && field.querySelector("legend, label");
    if (!label) return name;
    label = label.cloneNode(true);
    label.querySelectorAll(".intake-form__required").forEach(function (node) { node.remove(); });
    return label.textContent.trim();
  }

  function value(name) {
    var input = form.elements[name];
    if (!input) return "";
    return (input.value || "").trim();
  }

  function checked(name) {
    return Array.prototype.filter
      .call(form.querySelectorAll("input[name=" + name + "]"), function (input) {
        return input.checked;
      })
      .map(function (input) { return input.value; });
  }

  // The same keys and values as ReportForm.content() on the server, or as the
  // addition services.add_from_reporter stores.
  function content() {
    if (addition) return { text: value("text") };
    return {
      person: value("person"),
      relation: checked("relation")[0] || "",
      where: value("where"),
      what_happened: value("what_happened"),
      persecuted_by: checked("persecuted_by"),
      help_needed: checked("help_needed"),
      contact: value("contact")
    };
  }

  function missing(report) {
    if (addition) {
      if (report.text || (filesInput && filesInput.files.length)) return [];
      return [{ name: "text", label: labelOf("text"), text: message("empty") }];
    }
    return REQUIRED.filter(function (name) { return !report[name]; }).map(function (name) {
      return { name: name, label: labelOf(name), text: message("required") };
    });
  }

  // --- Files: checked by their bytes, photos drawn again without their metadata ----

  function bytesOf(blob) {
    return blob.arrayBuffer ? blob.arrayBuffer() : new Response(blob).arrayBuffer();
  }

  function startsWith(bytes, signature) {
    for (var i = 0; i < signature.length; i++) {
      if (bytes[i] !== signature[i]) return false;
    }
    return bytes.length >= signature.length;
  }

  // As content_type_of in site/intake/uploads.py.
  function contentTypeOf(bytes) {
    if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return "application/pdf";
    if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
    if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
    if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return "application/zip";
    var riff = String.fromCharCode.apply(null, bytes.slice(0, 4));
    var webp = String.fromCharCode.apply(null, bytes.slice(8, 12));
    if (riff === "RIFF" && webp === "WEBP") return "image/webp";
    return null;
  }

  function decode(blob) {
    if (window.createImageBitmap) {
      return createImageBitmap(blob, { imageOrientation: "from-image" });
    }
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(blob);
      var image = new Image();
      image.onload = function () { URL.revokeObjectURL(url); resolve(image); };
      image.onerror = function () { URL.revokeObjectURL(url); reject(new Error("image")); };
      image.src = url;
    });
  }

  // A new image from the pixels alone. Browsers that cannot write WebP write PNG;
  // the type is read again from the bytes that come out.
  function redraw(blob, type) {
    return decode(blob).then(function (image) {
      var canvas = document.createElement("canvas");
      canvas.width = image.width;
      canvas.height = image.height;
      canvas.getContext("2d").drawImage(image, 0, 0);
      if (image.close) image.close();
      return new Promise(function (resolve, reject) {
        canvas.toBlob(function (out) {
          if (out) resolve(out);
          else reject(new Error("image"));
        }, type, 0.92);
      });
    }).then(bytesOf).then(function (buffer) { return new Uint8Array(buffer); });
  }

  // Resolves with [{name, content_type, data}] or rejects with a list of problems.
  function readFiles() {
    var chosen = filesInput ? Array.prototype.slice.call(filesInput.files) : [];
    var problems = [];
    if (chosen.length > limits.count) problems.push(message("too-many"));
    var total = 0;
    return Promise.all(chosen.map(function (file) {
      var name = (file.name || "file").slice(-120);
      total += file.size;
      if (file.size > limits.bytes) {
        problems.push(message("too-large", { name: name, size: limits.bytes / 1e6 }));
        return null;
      }
      return bytesOf(file).then(function (buffer) {
        var data = new Uint8Array(buffer);
        var type = contentTypeOf(data);
        if (!type || ALLOWED.indexOf(type) < 0) {
          problems.push(message("wrong-type", { name: name }));
          return null;
        }
        if (IMAGES.indexOf(type) < 0) return { name: name, content_type: type, data: data };
        return redraw(file, type).then(function (clean) {
          var cleanType = contentTypeOf(clean);
          if (IMAGES.indexOf(cleanType) < 0) throw new Error("image");
          if (clean.length > limits.bytes) {
            problems.push(message("too-large", { name: name, size: limits.bytes / 1e6 }));
            return null;
          }
          return { name: name, content_type: cleanType, data: clean };
        }, function () {
          problems.push(message("not-an-image", { name: name }));
          return null;
        });
      });
    })).then(function (files) {
      if (total > limits.total) problems.push(message("too-much", { size: limits.total / 1e6 }));
      if (problems.length) throw problems;
      return files;
    });
  }

  // --- Sealing and sending --------------------------------------------------------

  // Right before sealing, the readers as the server lists them now: someone may have
  // been appointed while the reporter wrote, and the server refuses stale envelopes.
  function currentReaders() {
    var known = JSON.parse(form.getAttribute("data-readers"));
    return fetch(window.location.pathname, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.querySelector("form.intake-form[data-readers]");
        return fresh ? JSON.parse(fresh.getAttribute("data-readers")) : known;
      })
      .catch(function () { return known; });
  }

  function hidden(target, name, valueText) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = valueText;
    target.appendChild(input);
  }

  function b64Of(sodium) {
    return function (bytes) {
      return sodium.to_base64(bytes, sodium.base64_variants.ORIGINAL);
    };
  }

  // The hidden form either kind of post goes in: `data` and the files sealed to
  // `publicKey`, beside `fields` the server needs in the clear. Throws where the
  // browser cannot build it (no DataTransfer), before anything is sent.
  function sendSealed(sodium, publicKey, data, files, fields) {
    var b64 = b64Of(sodium);
    var out = document.createElement("form");
    out.method = "post";
    out.enctype = "multipart/form-data";
    out.action = form.getAttribute("action") || window.location.pathname;
    out.hidden = true;
    hidden(out, "csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    hidden(out, "sealed", "1");
    Object.keys(fields).forEach(function (name) { hidden(out, name, fields[name]); });
    var sealedContent = sodium.crypto_box_seal(sodium.from_string(JSON.stringify(data)), publicKey);
    hidden(out, "sealed_content", b64(sealedContent));
    if (files.length) {
      var transfer = new DataTransfer();
      files.forEach(function (file, index) {
        var meta = JSON.stringify({ name: file.name, content_type: file.content_type });
        hidden(out, "sealed_meta", b64(sodium.crypto_box_seal(sodium.from_string(meta), publicKey)));
        var body = sodium.crypto_box_seal(file.data, publicKey);
        // The part's name says nothing about the file either.
        transfer.items.add(new File([body], "sealed-" + (index + 1) + ".bin", {
          type: "application/octet-stream"
        }));
      });
      var parts = document.createElement("input");
      parts.type = "file";
      parts.name = "sealed_files";
      parts.multiple = true;
      parts.files = transfer.files;
      out.appendChild(parts);
    }
    document.body.appendChild(out);
    out.submit();
  }

  // A new report: a key pair of its own, its private half sealed to each reader.
  function sealReport(sodium, report, files, readers, proof) {
    var b64 = b64Of(sodium);
    var keys = sodium.crypto_box_keypair();
    try {
      var envelopes = {};
      readers.forEach(function (reader) {
        var readerKey = sodium.from_base64(reader.key, sodium.base64_variants.ORIGINAL);
        envelopes[reader.id] = b64(sodium.crypto_box_seal(keys.privateKey, readerKey));
      });
      var fields = { public_key: b64(keys.publicKey), envelopes: JSON.stringify(envelopes) };
      if (proof) fields.altcha = proof;
      sendSealed(sodium, keys.publicKey, report, files, fields);
    } finally {
      sodium.memzero(keys.privateKey);
    }
  }

  // An addition: sealed to the key the report already has, which the page shows.
  function sealAddition(sodium, text, files) {
    var key = sodium.from_base64(form.getAttribute("data-report-key"), sodium.base64_variants.ORIGINAL);
    sendSealed(sodium, key, text, files, { code: form.elements.code.value });
  }

  // Rejects where the sealed post cannot be built; the caller then posts plainly.
  function sealAndSend(sodium, data, files, proof) {
    if (addition) {
      return Promise.resolve().then(function () { sealAddition(sodium, data, files); });
    }
    return currentReaders().then(function (readers) {
      sealReport(sodium, data, files, readers, proof);
    });
  }

  var busy = false;

  function finish() {
    busy = false;
    button.disabled = false;
  }

  // Without libsodium the form goes as it is; the server seals it on arrival.
  function sendPlain(proof) {
    var fields = form.querySelectorAll("input[name=altcha]");
    if (proof && !fields.length) hidden(form, "altcha", proof);
    fields.forEach(function (field) { if (proof) field.value = proof; });
    say(message("sending"));
    HTMLFormElement.prototype.submit.call(form);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) return;
    clearErrors();
    var report = content();
    var problems = missing(report);
    busy = true;
    button.disabled = true;
    say(message("checking"));
    readFiles().then(function (files) {
      if (problems.length) throw [];
      return files;
    }).catch(function (fileProblems) {
      if (!Array.isArray(fileProblems)) fileProblems = [message("not-an-image", { name: "" })];
      fileProblems.forEach(function (text) {
        problems.push({ name: "files", label: labelOf("files"), text: text });
        showError("files", text);
      });
      problems.forEach(function (problem) {
        if (problem.name !== "files") showError(problem.name, problem.text);
      });
      showSummary(problems);
      say("");
      finish();
      return null;
    }).then(function (files) {
      if (!files) return;
      return solveChallenge().then(function (proof) {
        say(message("sealing"));
        return withTimeout(sodiumReady, 20000).then(function (sodium) {
          return sealAndSend(sodium, report, files, proof).catch(function () {
            sendPlain(proof); // e.g. a browser without DataTransfer
          });
        }, function () {
          sendPlain(proof);
        });
      }, function () {
        say(message("challenge-failed"));
        finish();
      });
    }).catch(function () {
      say(message("failed"));
      finish();
    });
  });

  // Back to this page from the receipt (the back/forward cache): ready again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.querySelectorAll("body > form[hidden]").forEach(function (node) {
        node.remove();
      });
      say("");
      finish();
    }
  });

  // Lets phones offer only what the server takes (and turn HEIC photos into JPEG).
  if (filesInput) {
    filesInput.accept = ".pdf,.jpg,.jpeg,.png,.webp,.docx,.odt,.xlsx,.zip," + ALLOWED.join(",");
  }
})();
