// The Push page for owners: the inventory as YAML, host keys fetched and confirmed or pasted, the deploy key rotated.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("weft-push-config").textContent);
  const base = `/api/designs/${config.design}/push/`;
  const $ = (id) => document.getElementById(id);
  let fetched = null;

  async function send(method, path, body, type) {
    const response = await fetch(`${base}${path}`, {method, credentials: "same-origin",
      headers: {"Content-Type": type || "application/json", "X-CSRFToken": config.csrf_token},
      body: type ? body : JSON.stringify(body || {})});
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const text = data.detail || (data.problems || []).map((p) => `${p.path}: ${p.message}${p.hint ? ` (${p.hint})` : ""}`).join("; ");
      throw new Error(text || `the server answered ${response.status}`);
    }
    return data;
  }

  function say(text, failed) {
    $("inventory-status").textContent = text;
    $("inventory-status").className = failed ? "problems" : "muted";
  }

  const done = (text) => () => { say(text); setTimeout(() => location.reload(), 600); };

  for (const button of document.querySelectorAll("button.fetch-key")) {
    button.addEventListener("click", async () => {
      try {
        fetched = await send("POST", "host-keys/fetch/", {node: button.dataset.node});
        $("enrol-fingerprint").textContent = `${fetched.node}: ${fetched.fingerprint}`;
        $("enrol").hidden = false;
      } catch (error) { say(error.message, true); }
    });
  }
  $("enrol-pin").addEventListener("click", () => send("POST", "host-keys/", {
    node: fetched.node, fingerprint: fetched.fingerprint, replace: $("enrol-replace").checked,
  }).then(done(`pinned ${fetched.fingerprint} for ${fetched.node}`), (error) => say(error.message, true)));
  $("paste-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    send("POST", "host-keys/", {node: form.node.value, key: form.key.value, replace: form.replace.checked})
      .then(done(`pinned the key of ${form.node.value}`), (error) => say(error.message, true));
  });
  $("inventory-form").addEventListener("submit", (event) => {
    event.preventDefault();
    send("PUT", "inventory/", event.target.inventory.value, "text/yaml")
      .then(done("inventory saved"), (error) => say(error.message, true));
  });
  $("rotate-key").addEventListener("click", () => {
    if (confirm("Make a new deploy key? Pushes fail until every node has the new authorized_keys line.")) {
      send("POST", "deploy-key/rotate/").then(done("deploy key rotated"), (error) => say(error.message, true));
    }
  });
})();
