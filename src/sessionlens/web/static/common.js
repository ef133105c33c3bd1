// Shared helpers: JSON/bytes requests carrying the CSRF token, waiting for a job, and starting a page's script.
"use strict";
window.SL = (function () {
  const meta = document.querySelector('meta[name="csrf-token"]');
  const csrf = meta ? meta.content : "";

  async function request(method, url, body, headers) {
    const opts = { method: method, credentials: "same-origin", headers: Object.assign({ "X-CSRF-Token": csrf }, headers || {}) };
    if (body !== undefined) {
      if (body instanceof Blob || body instanceof ArrayBuffer) { opts.body = body; }
      else { opts.body = JSON.stringify(body); opts.headers["Content-Type"] = "application/json"; }
    }
    const res = await fetch(url, opts);
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    if (res.status === 401) { window.location.assign("/signin?ended=1"); }
    if (!res.ok) { throw new Error((data && data.detail) || ("The server answered " + res.status)); }
    return data;
  }

  const FINAL = ["done", "failed", "cancelled"];  // a cancelled job (Jobs page) ends the wait too

  async function poll(jobId, onUpdate) {
    for (;;) {
      const job = await request("GET", "/api/jobs/" + encodeURIComponent(jobId));
      onUpdate(job);
      if (FINAL.indexOf(job.state) >= 0) { return job; }
      await new Promise(function (r) { setTimeout(r, 400); });
    }
  }

  // A page script runs only where its page's root element is (scripts are deferred: the document is parsed).
  function page(id, init) {
    const root = document.getElementById(id);
    if (root) { init(root); }
  }

  // A form that sends one chosen file: submitting calls send(file) and stays on the page.
  function onFileSubmit(form, inputId, send) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      const file = document.getElementById(inputId).files[0];
      if (file) { send(file); }
    });
  }

  return { csrf: csrf, request: request, poll: poll, FINAL: FINAL, page: page, onFileSubmit: onFileSubmit };
})();
