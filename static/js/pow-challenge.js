/* The donation form's defence against card testing, self-hosted and optional.
 *
 * Only when the server says so (it has seen many unpaid checkouts lately) does the
 * browser solve a small proof of work before the form is sent: find a number
 * `nonce` such that sha256(challenge + nonce), in hex, starts with `difficulty`
 * zeros. Nothing about the visitor is sent or stored; no third party is involved.
 * Without this script the form still works whenever the check is off.
 */
(function () {
  "use strict";

  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ];
  var W = new Array(64);

  function rotr(x, n) {
    return (x >>> n) | (x << (32 - n));
  }

  // SHA-256 of an ASCII string, as hex. Small and synchronous: crypto.subtle is
  // asynchronous and missing outside secure contexts.
  function sha256hex(text) {
    var bytes = [], i, t;
    for (i = 0; i < text.length; i++) bytes.push(text.charCodeAt(i) & 0xff);
    var bits = bytes.length * 8;
    bytes.push(0x80);
    while (bytes.length % 64 !== 56) bytes.push(0);
    bytes.push(0, 0, 0, 0, (bits >>> 24) & 255, (bits >>> 16) & 255, (bits >>> 8) & 255, bits & 255);
    var h0 = 0x6a09e667, h1 = 0xbb67ae85, h2 = 0x3c6ef372, h3 = 0xa54ff53a,
        h4 = 0x510e527f, h5 = 0x9b05688c, h6 = 0x1f83d9ab, h7 = 0x5be0cd19;
    for (var off = 0; off < bytes.length; off += 64) {
      for (t = 0; t < 16; t++) {
        i = off + t * 4;
        W[t] = (bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3];
      }
      for (t = 16; t < 64; t++) {
        var s0 = rotr(W[t - 15], 7) ^ rotr(W[t - 15], 18) ^ (W[t - 15] >>> 3);
        var s1 = rotr(W[t - 2], 17) ^ rotr(W[t - 2], 19) ^ (W[t - 2] >>> 10);
        W[t] = (W[t - 16] + s0 + W[t - 7] + s1) | 0;
      }
      var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
      for (t = 0; t < 64; t++) {
        var S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
        var ch = (e & f) ^ (~e & g);
        var temp1 = (h + S1 + ch + K[t] + W[t]) | 0;
        var S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
        var maj = (a & b) ^ (a & c) ^ (b & c);
        var temp2 = (S0 + maj) | 0;
        h = g; g = f; f = e; e = (d + temp1) | 0;
        d = c; c = b; b = a; a = (temp1 + temp2) | 0;
      }
      h0 = (h0 + a) | 0; h1 = (h1 + b) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0;
      h4 = (h4 + e) | 0; h5 = (h5 + f) | 0; h6 = (h6 + g) | 0; h7 = (h7 + h) | 0;
    }
    var out = "", words = [h0, h1, h2, h3, h4, h5, h6, h7];
    for (i = 0; i < 8; i++) out += ("00000000" + (words[i] >>> 0).toString(16)).slice(-8);
    return out;
  }

  // Search in slices, so that the page stays responsive on a slow phone.
  function solve(challenge, difficulty, done) {
    var prefix = new Array(difficulty + 1).join("0"), nonce = 0;
    (function slice() {
      var end = nonce + 5000;
      for (; nonce < end; nonce++) {
        if (sha256hex(challenge + nonce).lastIndexOf(prefix, 0) === 0) {
          done(String(nonce));
          return;
        }
      }
      setTimeout(slice, 0);
    })();
  }

  function enhance(form) {
    var status = form.querySelector("[data-pow-status]");
    var button = form.querySelector("button[type=submit]");
    var answer = null;    // a Promise of {token, nonce} or null when not needed
    var sending = false;

    function begin() {
      if (answer) return answer;
      answer = fetch(form.getAttribute("data-pow-url"), {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (!data.required) return null;
          return new Promise(function (resolve) {
            solve(data.challenge, data.difficulty, function (nonce) {
              resolve({ token: data.token, nonce: nonce });
            });
          });
        })
        .catch(function () { return null; }); // the server will say if it minds
      return answer;
    }

    // Start as soon as the donor starts filling in the form.
    form.addEventListener("focusin", begin, { once: true });
    form.addEventListener("submit", function (event) {
      if (sending) return;
      event.preventDefault();
      if (button) button.disabled = true;
      var started = Date.now();
      var slow = setTimeout(function () {
        if (status) status.textContent = form.getAttribute("data-pow-working");
      }, 300);
      begin().then(function (solution) {
        clearTimeout(slow);
        if (solution) {
          form.elements.pow_token.value = solution.token;
          form.elements.pow_nonce.value = solution.nonce;
          if (status && Date.now() - started > 300) {
            status.textContent = form.getAttribute("data-pow-done");
          }
        }
        sending = true;
        HTMLFormElement.prototype.submit.call(form);
      });
    });
    // Back from Stripe (the page restored from the back/forward cache): a used
    // answer is worth nothing, so start afresh.
    window.addEventListener("pageshow", function (event) {
      if (!event.persisted) return;
      answer = null;
      sending = false;
      if (button) button.disabled = false;
      if (status) status.textContent = "";
      form.elements.pow_token.value = "";
      form.elements.pow_nonce.value = "";
      form.addEventListener("focusin", begin, { once: true });
    });
  }

  var forms = document.querySelectorAll("form[data-pow-url]");
  for (var i = 0; i < forms.length; i++) enhance(forms[i]);
  window.solidarityPow = { sha256hex: sha256hex, solve: solve };
})();
