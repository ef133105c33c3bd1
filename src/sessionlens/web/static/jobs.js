// Jobs page: active jobs' state, step and progress follow the server; when one ends, the page reloads
// (to show its Review link or Retry button). Updates are quiet: no live region repeats every step.
"use strict";
(function () {
  const rows = Array.from(document.querySelectorAll("tr[data-job][data-active]"));
  if (!rows.length) { return; }
  async function refresh() {
    for (const row of rows) {
      let job;
      try { job = await SL.request("GET", "/api/jobs/" + encodeURIComponent(row.dataset.job)); }
      catch (e) { return; }  // signed out or gone: leave the page as it is
      if (SL.FINAL.indexOf(job.state) >= 0) { window.location.reload(); return; }
      row.querySelector(".state").textContent = job.state.replace(/_/g, " ");
      row.querySelector(".step").textContent = job.step;
      const bar = row.querySelector("progress");
      bar.value = job.progress;
      bar.textContent = Math.round(job.progress * 100) + "%";
    }
    setTimeout(refresh, 1000);
  }
  setTimeout(refresh, 1000);
})();
