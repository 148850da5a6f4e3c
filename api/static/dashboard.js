// The facilitator dashboard: asks for a facilitator key once per tab, loads the digest
// (server-rendered, escaped HTML) with it, and sends "mark as handled".
(() => {
  "use strict";
  const KEY = "peerassist.facilitatorKey";
  const digest = document.getElementById("digest");
  const form = document.getElementById("key-form");
  const since = document.getElementById("since");
  const status = document.getElementById("status");

  const say = (text, isError = false) => {
    status.textContent = text;
    status.classList.toggle("error", isError);
  };
  const headers = () => ({ Authorization: `Bearer ${sessionStorage.getItem(KEY)}` });
  const askForKey = (why) => {
    form.hidden = false;
    document.getElementById("key").focus();
    if (why) say(why, true);
  };
  const problem = async (response) => {
    try { return (await response.json()).detail; } catch { return `HTTP ${response.status}`; }
  };

  async function load() {
    if (!sessionStorage.getItem(KEY)) return askForKey();
    say("Loading…");
    const response = await fetch(`/dashboard/digest?since=${encodeURIComponent(since.value)}`, { headers: headers() });
    if (response.status === 401 || response.status === 403) {
      sessionStorage.removeItem(KEY);
      digest.replaceChildren();
      return askForKey(await problem(response));
    }
    if (!response.ok) return say(await problem(response), true);
    form.hidden = true;
    // The server escapes every member- and document-written text; the fragment has no scripts.
    digest.innerHTML = await response.text();
    say("");
  }

  const post = (path, queryIds) => fetch(path, {
    method: "POST",
    headers: { ...headers(), "Content-Type": "application/json" },
    body: JSON.stringify({ query_ids: queryIds }),
  });

  async function markHandled(button) {
    if (!sessionStorage.getItem(KEY)) return askForKey("Enter a facilitator key to mark topics as handled.");
    button.disabled = true;
    const queryIds = JSON.parse(button.dataset.queryIds);
    const response = await post("/api/insights/gaps/handled", queryIds);
    if (!response.ok) {
      button.disabled = false;
      return say(await problem(response), true);
    }
    await load();
    say(`Marked “${button.dataset.label}” as handled. `);
    const undo = document.createElement("button");
    undo.type = "button";
    undo.className = "secondary";
    undo.textContent = "Undo";
    undo.addEventListener("click", async () => {
      const undone = await post("/api/insights/gaps/unhandled", queryIds);
      if (!undone.ok) return say(await problem(undone), true);
      await load();
      say(`“${button.dataset.label}” is back on the list.`);
    });
    status.append(undo);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(KEY, document.getElementById("key").value.trim());
    load();
  });
  since.addEventListener("change", load);
  document.getElementById("sign-out").addEventListener("click", () => {
    sessionStorage.removeItem(KEY);
    digest.replaceChildren();
    askForKey();
  });
  digest.addEventListener("click", (event) => {
    const button = event.target.closest("button.handled");
    if (button) markHandled(button);
  });
  if (!digest.children.length) load();
})();
