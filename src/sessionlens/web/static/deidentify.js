// Send a transcript file as the raw body; show the de-identified copy (nothing is stored).
"use strict";
(function () {
  const form = document.getElementById("deid-form");
  if (!form) { return; }
  const status = document.getElementById("deid-status");
  const out = document.getElementById("deid-out");
  form.addEventListener("submit", async function (ev) {
    ev.preventDefault();
    const file = document.getElementById("deid-file").files[0];
    if (!file) { return; }
    status.textContent = "Working…";
    try {
      const res = await window.SL.request("POST", "/api/deidentify", file, { "X-Upload-Name": file.name, "Content-Type": "application/octet-stream" });
      out.value = res.text;
      const parts = Object.keys(res.replaced).map(function (k) { return res.replaced[k] + " " + k.toLowerCase(); });
      status.textContent = "Replaced " + (parts.join(", ") || "nothing") + " (" + res.format + "). Read every line before sharing.";
    } catch (e) {
      status.textContent = e.message;
    }
  });
})();
