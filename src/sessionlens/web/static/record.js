// Record in the room: chunks go to the server every 2 s, where each is encrypted on arrival.
"use strict";
(function () {
  const box = document.getElementById("recorder");
  if (!box) { return; }
  const client = box.dataset.client;
  const startBtn = document.getElementById("rec-start"), pauseBtn = document.getElementById("rec-pause");
  const stopBtn = document.getElementById("rec-stop"), indicator = document.getElementById("rec-indicator");
  const stateText = document.getElementById("rec-state"), timeText = document.getElementById("rec-time");
  const status = document.getElementById("rec-status");
  let recorder = null, stream = null, session = null, seq = 0, queue = Promise.resolve(), failed = null;
  let elapsed = 0, tick = null;

  function clock(s) { return Math.floor(s / 60) + ":" + String(Math.floor(s % 60)).padStart(2, "0"); }
  function timer(on) {
    clearInterval(tick);
    if (on) { tick = setInterval(function () { elapsed += 1; timeText.textContent = clock(elapsed); }, 1000); }
  }

  function sendChunk(blob) {
    const n = seq++;
    queue = queue.then(function () {
      return SL.request("POST", "/api/recordings/" + encodeURIComponent(session) + "/chunks/" + n, blob,
        { "Content-Type": "application/octet-stream" });
    }).catch(function (e) { failed = e; status.textContent = "A part could not be stored: " + e.message; });
  }

  startBtn.addEventListener("click", async function () {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const type = MediaRecorder.isTypeSupported("audio/webm;codecs=opus") ? "audio/webm;codecs=opus" : "";
      recorder = new MediaRecorder(stream, type ? { mimeType: type } : {});
      const headers = { "X-Audio-Type": recorder.mimeType || "audio/webm" };
      const people = document.getElementById("rec-people");
      if (people && people.value) { headers["X-People"] = people.value; }
      const started = await SL.request("POST", "/api/clients/" + encodeURIComponent(client) + "/recordings", undefined,
        headers);
      session = started.id;
      recorder.ondataavailable = function (e) { if (e.data && e.data.size) { sendChunk(e.data); } };
      recorder.start(2000);
      indicator.hidden = false; indicator.classList.remove("paused"); stateText.textContent = "Recording";
      startBtn.disabled = true; pauseBtn.disabled = false; stopBtn.disabled = false; timer(true);
      status.textContent = "Recording. Each part is encrypted as it arrives.";
    } catch (e) {
      status.textContent = "Could not start recording: " + e.message;
      if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    }
  });

  pauseBtn.addEventListener("click", function () {
    if (recorder.state === "recording") {
      recorder.pause(); timer(false); indicator.classList.add("paused"); stateText.textContent = "Paused";
      pauseBtn.textContent = "Resume"; status.textContent = "Paused.";
    } else if (recorder.state === "paused") {
      recorder.resume(); timer(true); indicator.classList.remove("paused"); stateText.textContent = "Recording";
      pauseBtn.textContent = "Pause"; status.textContent = "Recording again.";
    }
  });

  stopBtn.addEventListener("click", async function () {
    pauseBtn.disabled = true; stopBtn.disabled = true; timer(false);
    const stopped = new Promise(function (r) { recorder.onstop = r; });
    recorder.stop();
    await stopped;
    stream.getTracks().forEach(function (t) { t.stop(); });
    indicator.hidden = true;
    await queue;
    if (failed) { return; }
    status.textContent = "Stopped. Processing…";
    try {
      const job = await SL.request("POST", "/api/recordings/" + encodeURIComponent(session) + "/stop");
      const done = await SL.poll(job.id, function (j) { status.textContent = "Processing: " + j.step; });
      if (done.state !== "done") { throw new Error(done.state === "cancelled" ? "cancelled on the Jobs page" : done.message); }
      window.location.assign("/sessions/" + encodeURIComponent(session));
    } catch (e) { status.textContent = "Not processed: " + e.message; }
  });
})();
