// Send a transcript file as the raw body; show the de-identified copy (nothing is stored).
"use strict";
window.SL.page("deid-form", function (form) {
  const status = document.getElementById("deid-status");
  const out = document.getElementById("deid-out");
  window.SL.onFileSubmit(form, "deid-file", async function (file) {
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
});
