// Session review: the transcript follows the audio, lines play on request, moments jump, speakers are corrected.
"use strict";
(function () {
  const root = document.getElementById("review");
  if (!root) { return; }
  const session = root.dataset.session;
  const player = document.getElementById("player");
  const list = document.getElementById("transcript");
  const lines = Array.from(list.querySelectorAll("li.line"));
  const starts = lines.map(function (li) { return li.dataset.start === "" ? NaN : parseFloat(li.dataset.start); });
  let current = null;

  function lineAt(t) {
    let lo = 0, hi = lines.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (!(starts[mid] > t)) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found >= 0 ? lines[found] : null;
  }

  function reveal(li) {
    const top = li.offsetTop - list.offsetTop - list.clientHeight / 3;
    list.scrollTo({ top: Math.max(top, 0) });
  }

  function markPlaying(li) {
    if (li === current) { return; }
    if (current) { current.classList.remove("playing"); current.removeAttribute("aria-current"); }
    current = li;
    if (li) {
      li.classList.add("playing"); li.setAttribute("aria-current", "true");
      const follow = document.getElementById("follow");
      if (!follow || follow.checked) { reveal(li); }
    }
  }

  function playFrom(start) {
    if (!player || isNaN(start)) { return; }
    player.currentTime = start;
    player.play().catch(function () { /* the user can press play */ });
  }

  if (player) {
    player.addEventListener("timeupdate", function () { markPlaying(lineAt(player.currentTime + 0.05)); });
  }

  list.addEventListener("click", function (ev) {
    const t = ev.target.closest("button.t");
    if (t) { playFrom(parseFloat(t.dataset.start)); return; }
    const who = ev.target.closest("button.who");
    if (who) { openMove(who); }
  });

  document.addEventListener("click", function (ev) {
    const a = ev.target.closest("a.moment");
    if (!a) { return; }
    const id = (a.getAttribute("href") || "").slice(1);
    const li = document.getElementById(id);
    if (!li) { return; }
    ev.preventDefault();
    lines.forEach(function (l) { l.classList.remove("target"); });
    li.classList.add("target");
    reveal(li);
    li.querySelector("button.t").focus({ preventScroll: true });
    const start = parseFloat(li.dataset.start);
    if (player && !isNaN(start)) { player.currentTime = start; }
  });

  // Give one line to another speaker.
  const move = document.getElementById("move-form");
  let moving = null, opener = null;
  function openMove(button) {
    moving = button.dataset.uid;
    opener = button;
    button.closest("li").after(move);
    move.hidden = false;
    document.getElementById("move-to").value = button.dataset.speaker;
    document.getElementById("move-to").focus();
  }
  function closeMove() {  // keyboard users land back on the speaker they opened, not at the top of the page
    move.hidden = true;
    if (opener) { opener.focus(); }
  }
  document.getElementById("move-cancel").addEventListener("click", closeMove);
  move.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { ev.preventDefault(); closeMove(); }
  });
  move.addEventListener("submit", async function (ev) {
    ev.preventDefault();
    const body = { utterances: {} };
    body.utterances[moving] = document.getElementById("move-to").value;
    await save(body, move.querySelector("button"));
  });

  // Correct each speaker's role and name.
  const speakers = document.getElementById("speakers-form");
  speakers.addEventListener("submit", async function (ev) {
    ev.preventDefault();
    const body = { speakers: {} };
    speakers.querySelectorAll("fieldset.speaker").forEach(function (fs) {
      body.speakers[fs.dataset.speaker] = { name: fs.querySelector(".sp-name").value, role: fs.querySelector(".sp-role").value };
    });
    await save(body, speakers.querySelector("button[type=submit]"));
  });

  async function save(body, button) {
    const status = document.getElementById("speakers-status");
    button.disabled = true;
    status.textContent = "Saving the correction and updating the analysis…";
    try {
      await SL.request("POST", "/api/sessions/" + encodeURIComponent(session) + "/speakers", body);
      status.textContent = "Saved.";
      window.location.reload();
    } catch (e) {
      status.textContent = "Not saved: " + e.message;
      button.disabled = false;
    }
  }

  // Attach the recording when the session came from a transcript.
  const attach = document.getElementById("attach-form");
  if (attach) {
    attach.addEventListener("submit", async function (ev) {
      ev.preventDefault();
      const file = document.getElementById("attach-file").files[0];
      const status = document.getElementById("attach-status");
      if (!file) { return; }
      status.textContent = "Encrypting and storing the recording…";
      try {
        await SL.request("POST", "/api/sessions/" + encodeURIComponent(session) + "/audio", file,
          { "Content-Type": "application/octet-stream" });
        window.location.reload();
      } catch (e) { status.textContent = "Not added: " + e.message; }
    });
  }
})();
