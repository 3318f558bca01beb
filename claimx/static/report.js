// claimx corpus report: filters the claims table from its controls, the network and the
// speakers table, and marks a claim in its article when a link leads there. Part of claimx
// (MIT licence); it loads nothing and sends nothing.
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var all = function (selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); };
  var state = { actor: "" };
  var controls = { speaker: $("f-speaker"), target: $("f-target"), act: $("f-act"), kind: $("f-kind"),
                   confidence: $("f-confidence") };
  var rows = all("#claims-table tbody tr");
  var has = function (list, key) { return (" " + list + " ").indexOf(" " + key + " ") >= 0; };

  function nameOf(key) {
    var node = document.querySelector('#network .actor[data-e="' + key + '"] title');
    var option = controls.speaker.querySelector('option[value="' + key + '"]') ||
                 controls.target.querySelector('option[value="' + key + '"]');
    if (node) { return node.textContent.split(":")[0]; }
    return option ? option.textContent.replace(/ \(\d+\)$/, "") : key;
  }

  function apply() {
    var speaker = controls.speaker.value, target = controls.target.value, act = controls.act.value,
        kind = controls.kind.value, confidence = parseFloat(controls.confidence.value) || 0, shown = 0;
    rows.forEach(function (row) {
      var s = row.getAttribute("data-s"), t = row.getAttribute("data-t");
      var visible = (!speaker || has(s, speaker)) && (!target || has(t, target)) &&
        (!act || row.getAttribute("data-act") === act) && (!kind || row.getAttribute("data-kind") === kind) &&
        parseFloat(row.getAttribute("data-confidence")) >= confidence &&
        (!state.actor || has(s, state.actor) || has(t, state.actor));
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    $("claim-count").textContent = shown + " of " + rows.length + " claims";
    var chip = $("actor-chip");
    chip.style.display = state.actor ? "inline-block" : "none";
    chip.textContent = state.actor ? "by or about " + nameOf(state.actor) : "";
    all("#network .edge").forEach(function (edge) {
      var s = edge.getAttribute("data-s"), t = edge.getAttribute("data-t");
      var match = (!act || edge.getAttribute("data-act") === act) &&
        (!state.actor || s === state.actor || t === state.actor) &&
        (!speaker || s === speaker) && (!target || t === target);
      edge.classList.toggle("dim", !match);
    });
    all("#network .actor").forEach(function (node) {
      node.classList.toggle("selected", node.getAttribute("data-e") === state.actor);
    });
    all("#act-legend button").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-act") === act));
    });
  }

  function set(values) {
    state.actor = values.actor || "";
    ["speaker", "target", "act", "kind"].forEach(function (name) { controls[name].value = values[name] || ""; });
    if (values.confidence !== undefined) { controls.confidence.value = values.confidence; }
    apply();
  }

  function showClaims() {
    var table = $("claims");
    if (table.scrollIntoView) { table.scrollIntoView({ block: "start" }); }
  }

  Object.keys(controls).forEach(function (name) {
    controls[name].addEventListener(name === "confidence" ? "input" : "change", apply);
  });
  $("f-clear").addEventListener("click", function () { set({ confidence: 0 }); });
  all("#network .actor").forEach(function (node) {
    var pick = function () { set({ actor: node.getAttribute("data-e") }); showClaims(); };
    node.addEventListener("click", pick);
    node.addEventListener("keydown", function (event) { if (event.key === "Enter") { pick(); } });
  });
  all("#network .edge").forEach(function (edge) {
    edge.addEventListener("click", function () {
      set({ speaker: edge.getAttribute("data-s"), target: edge.getAttribute("data-t"),
            act: edge.getAttribute("data-act") });
      showClaims();
    });
  });
  all("#act-legend button").forEach(function (button) {
    button.addEventListener("click", function () {
      var act = button.getAttribute("data-act");
      controls.act.value = controls.act.value === act ? "" : act;
      apply();
    });
  });
  all(".pair-link").forEach(function (button) {
    button.addEventListener("click", function () {
      set({ speaker: button.getAttribute("data-s"), target: button.getAttribute("data-t") });
      showClaims();
    });
  });
  all(".speaker-link[data-speaker]").forEach(function (button) {
    button.addEventListener("click", function () { set({ speaker: button.getAttribute("data-speaker") }); showClaims(); });
  });

  function focusClaim() {
    all(".claim.focus").forEach(function (piece) { piece.classList.remove("focus"); });
    var anchor = decodeURIComponent(window.location.hash.slice(1));
    if (!/^d\d+-/.test(anchor)) { return; }
    all(".claim[data-c]").forEach(function (piece) {
      if (has(piece.getAttribute("data-c"), anchor)) { piece.classList.add("focus"); }
    });
  }
  window.addEventListener("hashchange", focusClaim);
  focusClaim();
  apply();
}());
