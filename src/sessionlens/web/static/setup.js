// First-run set-up: the strength of the passphrase as it is typed (judged by the server, which applies the
// same rule as `sessionlens init`), and whether the two entries match. Without script the form still works.
"use strict";
window.SL.page("setup-form", function (form) {
  const pass = document.getElementById("passphrase");
  const again = document.getElementById("confirm");
  const meter = document.getElementById("strength-meter");
  const text = document.getElementById("strength-text");
  const match = document.getElementById("match-text");
  const pre = form.querySelector('input[name="pre"]').value;
  let timer = null;
  let asked = 0;

  function capital(t) { return t.charAt(0).toUpperCase() + t.slice(1); }

  function show(s) {
    meter.value = s.acceptable ? s.score : 0;
    form.dataset.strength = s.acceptable ? s.label : "too short";
    if (!s.length) { text.textContent = "Strength is shown as you type."; return; }
    if (!s.acceptable) { text.textContent = capital(s.advice) + " (" + s.length + " so far)."; return; }
    text.textContent = "Strength: " + s.label + "." + (s.advice ? " " + s.advice : "");
  }

  async function assess() {
    const mine = ++asked;
    const body = new URLSearchParams({ pre: pre, passphrase: pass.value });
    try {
      const res = await fetch("/setup/strength", { method: "POST", credentials: "same-origin", body: body });
      if (!res.ok || mine !== asked) { return; }  // a later keystroke's answer wins
      show(await res.json());
    } catch (e) { /* the strength is a help; the server still checks the rule on submit */ }
  }

  function checkMatch() {
    if (!again.value) { match.textContent = ""; return; }
    match.textContent = again.value === pass.value ? "The two entries match." : "The two entries differ.";
  }

  pass.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(assess, 150);
    checkMatch();
  });
  again.addEventListener("input", checkMatch);
});
