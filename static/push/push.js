// The Push page: plan, confirm, stop and roll back a push run; its waves and nodes follow the run live.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("weft-push-config").textContent);
  const base = `/api/designs/${config.design}/push-runs/`;
  const $ = (id) => document.getElementById(id);
  let socket = null;
  let runId = null;

  async function call(url, body) {
    const response = await fetch(url, {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": config.csrf_token},
      body: JSON.stringify(body || {})});
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const text = data.detail || (data.problems || []).map((p) => `${p.path}: ${p.message}`).join("; ");
      throw new Error(text || `the server answered ${response.status}`);
    }
    return data;
  }

  // The review gate: a revision's bytes leave only with an approved review of them, or an owner's broken glass.
  async function showGate() {
    const answer = await fetch(`/api/designs/${config.design}/gate/?purpose=push&revision=${config.revision}`,
      {credentials: "same-origin"});
    const gate = await answer.json().catch(() => ({}));
    $("push-gate").dataset.open = answer.ok ? String(gate.open) : "unknown";
    $("gate-reason").textContent = !answer.ok ? "The review gate could not be read." : gate.open
      ? `Revision ${config.revision_number} may be pushed: ${gate.reason}.`
      : `${gate.reason}.`;
    if ($("break-glass")) $("break-glass").hidden = !answer.ok || gate.open;
  }

  if ($("break-glass-form")) {
    $("break-glass-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await call(`/api/designs/${config.design}/gate/break-glass/`,
          {revision: config.revision, purpose: "push", reason: event.target.reason.value});
        showError(null);
        await showGate();
      } catch (error) {
        showError(error);
      }
    });
  }
  showGate();

  function showError(error) {
    $("push-error").hidden = !error;
    $("push-error").textContent = error ? error.message : "";
  }

  function chip(node) {
    const span = document.createElement("span");
    span.className = `node-chip state-${node.state}`;
    span.dataset.node = node.node;
    span.dataset.state = node.state;
    span.title = node.meaning;
    span.textContent = `${node.node}: ${node.state}`;
    return span;
  }

  function changeCell(node) {
    const cell = document.createElement("td");
    const files = (node.diff.files || []).map((f) => (typeof f === "string" ? f : f.path));
    cell.textContent = node.disruption ? `${node.disruption}${files.length ? ` (${files.length} files)` : ""}` : "";
    if (files.length || node.diff.frr || node.refusals.length || node.drift) {
      const details = document.createElement("details");
      details.className = "diff";
      const summary = document.createElement("summary");
      summary.textContent = "diff";
      const pre = document.createElement("pre");
      const parts = [];
      if (node.refusals.length) parts.push(`refused: ${node.refusals.join("; ")}`);
      for (const f of node.diff.files || []) parts.push(typeof f === "string" ? f : (f.diff || f.path));
      if (node.diff.frr) parts.push(`FRR: ${typeof node.diff.frr === "string" ? node.diff.frr : JSON.stringify(node.diff.frr, null, 1)}`);
      if (node.drift) parts.push(`drift: ${node.drift.summary}`);
      pre.textContent = parts.join("\n");
      details.append(summary, pre);
      cell.append(details);
    }
    return cell;
  }

  function waveBox(title, names, byName, index) {
    const box = document.createElement("div");
    box.className = "wave";
    if (index !== undefined) box.dataset.wave = index;
    const heading = document.createElement("h4");
    heading.textContent = title;
    box.append(heading, ...names.map((name) => chip(byName[name])));
    return box;
  }

  function render(run) {
    runId = run.id;
    $("run").hidden = false;
    $("run-id").textContent = `${run.id} (${run.kind} of revision ${run.revision_number})`;
    $("run-status").textContent = run.status_label;
    $("run-status").dataset.status = run.status;
    $("run-outcome").textContent = run.worker_lost
      ? "The worker driving this run stopped answering; the next worker to start takes it up where it stopped."
      : run.outcome;
    const open = ["planning", "planned", "pushing"].includes(run.status);
    $("confirm-button").hidden = !(config.can_push && run.status === "planned" && run.kind !== "drift");
    $("stop-button").hidden = !(config.can_push && open && run.kind !== "drift");
    $("rollback-button").hidden = !(config.can_push && ["finished", "stopped"].includes(run.status) && run.kind === "push");
    const byName = Object.fromEntries(run.nodes.map((n) => [n.node, n]));
    const boxes = run.waves.map((wave, index) => waveBox(index === 0 ? "canaries" : `wave ${index}`, wave, byName, index));
    if (run.skipped.length) boxes.push(waveBox("no change", run.skipped, byName));
    $("waves").replaceChildren(...boxes);
    $("nodes").tBodies[0].replaceChildren(...run.nodes.map((node) => {
      const row = document.createElement("tr");
      row.dataset.node = node.node;
      const name = document.createElement("td");
      name.textContent = node.node;
      const state = document.createElement("td");
      state.append(chip(node));
      const wave = document.createElement("td");
      wave.textContent = node.wave === null ? "" : (node.wave === 0 ? "canary" : node.wave);
      const detail = document.createElement("td");
      detail.textContent = node.detail;
      row.append(name, state, wave, changeCell(node), detail);
      return row;
    }));
    $("run-log").textContent = run.log.join("\n");
  }

  function follow(id) {
    if (socket) socket.close();
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}/ws/push/${id}/`);
    socket.onmessage = (event) => render(JSON.parse(event.data));
  }

  async function start(url, body) {
    showError(null);
    try {
      const run = await call(url, body);
      render(run);
      follow(run.id);
    } catch (error) { showError(error); }
  }

  const form = $("plan-form");
  if (form) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const timing = {confirm_timeout: Number(form.confirm_timeout.value), health_wait: Number(form.health_wait.value)};
      start(base, {revision: config.revision, timing});
    });
    $("drift-button").addEventListener("click", () => start(`${base}drift/`));
  }
  $("confirm-button").addEventListener("click", () => start(`${base}${runId}/confirm/`));
  $("stop-button").addEventListener("click", () => call(`${base}${runId}/stop/`).catch(showError));
  $("rollback-button").addEventListener("click", () => start(`${base}${runId}/rollback/`));
  if (config.latest_run) follow(config.latest_run);
})();
