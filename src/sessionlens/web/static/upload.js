// Upload a transcript or audio as a raw body (kept in memory on the server), then show processing progress.
"use strict";
window.SL.page("upload-form", function (form) {
  const status = document.getElementById("upload-status");
  const bar = document.getElementById("upload-progress");

  function send(file, client) {
    return new Promise(function (resolve, reject) {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", "/api/clients/" + encodeURIComponent(client) + "/uploads");
      xhr.setRequestHeader("X-CSRF-Token", SL.csrf);
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      xhr.setRequestHeader("X-Upload-Name", encodeURIComponent(file.name).slice(0, 250));
      const people = document.getElementById("upload-people");
      if (people && people.value) { xhr.setRequestHeader("X-People", people.value); }
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) { bar.value = 0.5 * e.loaded / e.total; status.textContent = "Uploading… " + Math.round(100 * e.loaded / e.total) + "%"; }
      };
      xhr.onload = function () {
        let data = {};
        try { data = JSON.parse(xhr.responseText); } catch (e) { data = {}; }
        if (xhr.status >= 200 && xhr.status < 300) { resolve(data); } else { reject(new Error(data.detail || ("The server answered " + xhr.status))); }
      };
      xhr.onerror = function () { reject(new Error("The upload did not reach the server.")); };
      xhr.send(file);
    });
  }

  window.SL.onFileSubmit(form, "upload-file", async function (file) {
    const button = form.querySelector("button");
    button.disabled = true; bar.hidden = false; bar.value = 0;
    try {
      const job = await send(file, form.dataset.client);
      const done = await SL.poll(job.id, function (j) {
        bar.value = 0.5 + 0.5 * j.progress; status.textContent = "Processing: " + j.step;
      });
      if (done.state !== "done") { throw new Error(done.state === "cancelled" ? "cancelled on the Jobs page" : done.message); }
      status.textContent = "Done. Opening the session…";
      window.location.assign("/sessions/" + encodeURIComponent(done.session));
    } catch (e) {
      status.textContent = "Not processed: " + e.message;
      button.disabled = false;
    }
  });
});
