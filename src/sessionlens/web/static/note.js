// Note editor: save the draft, add sentences, evidence on hover or click, sign after confirming,
// redraft (concise or full) after confirming.
"use strict";
(function () {
  // A new draft replaces this one and the clinician's edits: ask first.
  const redraft = document.getElementById("redraft-form");
  if (redraft) {
    redraft.addEventListener("submit", function (ev) {
      const detail = redraft.querySelector("input[name=detail]:checked");
      const what = detail ? detail.value : "concise";
      if (!window.confirm("Write a new " + what + " draft? This draft and your edits to it are discarded.")) {
        ev.preventDefault();
      }
    });
  }
  const form = document.getElementById("note-form");
  if (!form) { return; }
  const session = form.dataset.session;
  const status = document.getElementById("note-status");

  function collect() {
    const sections = Array.from(form.querySelectorAll("fieldset.note-section")).map(function (fs) {
      return {
        key: fs.dataset.key,
        sentences: Array.from(fs.querySelectorAll(".sentence")).map(function (div) {
          return { text: div.querySelector("textarea").value };
        })
      };
    });
    return { sections: sections };
  }

  async function saveDraft() {
    await SL.request("PUT", "/api/sessions/" + encodeURIComponent(session) + "/note", collect());
  }

  form.addEventListener("submit", async function (ev) {
    ev.preventDefault();
    status.textContent = "Saving…";
    try { await saveDraft(); status.textContent = "Draft saved."; }
    catch (e) { status.textContent = "Not saved: " + e.message; }
  });

  form.addEventListener("click", function (ev) {
    const add = ev.target.closest("button.add-sentence");
    if (!add) { return; }
    const box = add.closest("fieldset").querySelector(".sentences");
    const n = box.children.length + 1;
    const div = document.createElement("div");
    div.className = "sentence";
    const id = "new-" + Date.now();
    const label = document.createElement("label");
    label.className = "sr-only"; label.htmlFor = id; label.textContent = "New sentence " + n;
    const ta = document.createElement("textarea");
    ta.id = id; ta.rows = 2; ta.maxLength = 4000;
    div.append(label, ta);
    box.append(div);
    ta.focus();
  });

  // Evidence opens on hover as well as on click (details/summary keeps it keyboard-operable).
  form.querySelectorAll(".sentence").forEach(function (div) {
    const details = div.querySelector("details.evidence");
    if (!details) { return; }
    let byHover = false;
    div.addEventListener("mouseenter", function () { if (!details.open) { details.open = true; byHover = true; } });
    div.addEventListener("mouseleave", function () { if (byHover) { details.open = false; byHover = false; } });
    details.querySelector("summary").addEventListener("click", function () { byHover = false; });
  });

  const dialog = document.getElementById("sign-dialog");
  document.getElementById("sign-note").addEventListener("click", function () { dialog.showModal(); });
  document.getElementById("sign-cancel").addEventListener("click", function () { dialog.close(); });
  document.getElementById("sign-confirm").addEventListener("click", async function () {
    dialog.close();
    status.textContent = "Signing…";
    try {
      await saveDraft();
      await SL.request("POST", "/api/sessions/" + encodeURIComponent(session) + "/note/sign");
      window.location.reload();
    } catch (e) { status.textContent = "Not signed: " + e.message; }
  });
})();
