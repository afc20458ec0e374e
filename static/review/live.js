// The review page live: events as they happen (a banner asks to reload when the head or verdicts moved),
// and who else has the review open. Plain script: the review pages work without it.
(() => {
  const config = JSON.parse(document.getElementById("weft-review-config").textContent);
  const presence = document.getElementById("presence");
  const list = document.getElementById("event-list");
  const scheme = location.protocol === "https:" ? "wss://" : "ws://";
  const RELOADING = new Set(["head_updated", "approved", "changes_requested", "approval_invalidated", "moves_acknowledged", "break_glass", "push_finished"]);
  let retries = 0;

  function connect() {
    const socket = new WebSocket(scheme + location.host + config.websocket);
    socket.onopen = () => { retries = 0; document.body.dataset.reviewLive = "true"; };
    socket.onmessage = (message) => {
      const data = JSON.parse(message.data);
      if (data.type === "presence") {
        const others = data.people.filter((name) => name !== config.username);
        presence.textContent = others.length ? "also here: " + others.join(", ") : "nobody else here";
        presence.dataset.people = data.people.join(",");
      } else if (data.type === "event") {
        const item = document.createElement("li");
        item.className = "event-new";
        item.textContent = data.event.message;
        item.dataset.kind = data.event.kind;
        list.prepend(item);
        if (RELOADING.has(data.event.kind) && data.event.actor !== config.username) showReload(data.event.message);
      }
    };
    socket.onclose = (event) => {
      document.body.dataset.reviewLive = "false";
      if (event.code !== 4404 && retries < 5) setTimeout(connect, 1000 * 2 ** retries++);
    };
  }

  function showReload(message) {
    let banner = document.getElementById("reload-banner");
    if (!banner) {
      banner = document.createElement("p");
      banner.id = "reload-banner";
      banner.className = "card blocking";
      banner.setAttribute("role", "status");
      document.querySelector("main").prepend(banner);
    }
    banner.textContent = message + " · ";
    const link = document.createElement("a");
    link.href = location.href;
    link.textContent = "reload to see it";
    banner.append(link);
  }

  connect();
})();
