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
    try {
      const detail = (await response.json()).detail;
      return Array.isArray(detail) ? detail.map((d) => d.msg).join("; ") : detail;
    } catch { return `HTTP ${response.status}`; }
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
    const reviewButton = event.target.closest("button.review");
    if (reviewButton) openReview(reviewButton.dataset.queryId);
    const approve = event.target.closest("button.approve");
    if (approve) send(approve, `/api/questions/${approve.dataset.questionId}/answers/${approve.dataset.answerId}/approve`, {},
      (done) => `Approved: “${done.title}” is now a document${done.resolved ? " that answers it" : ""}.`);
  });
  digest.addEventListener("submit", (event) => {
    const propose = event.target.closest("form.propose");
    if (!propose) return;
    event.preventDefault();
    const body = { text: propose.elements.text.value.trim() };
    if (propose.elements.author.value.trim()) body.author = propose.elements.author.value.trim();
    send(propose.querySelector("button"), `/api/questions/${propose.dataset.questionId}/answers`, body, () => "Answer proposed.");
  });

  // Conversation review: the logged question as the member met it. Built with textContent only.
  const reviewDialog = document.getElementById("review");
  const reviewBody = document.getElementById("review-body");
  const node = (tag, text, className) => {
    const el = document.createElement(tag);
    if (text !== undefined) el.textContent = text;
    if (className) el.className = className;
    return el;
  };
  function turnView(turn, current) {
    const box = node("section", undefined, current ? "turn current" : "turn");
    box.append(node("h3", `${current ? "This question" : "Earlier or later in the conversation"} · ${new Date(turn.created_at).toLocaleString()}`));
    box.append(node("p", `Q: ${turn.question}`));
    if (turn.standalone_question !== turn.question) box.append(node("p", `Read as: ${turn.standalone_question}`, "muted"));
    box.append(node("p", `${turn.answered ? "Answer" : "Not answered"} (confidence ${turn.confidence.toFixed(2)}): ${turn.answer}`));
    if (turn.citations.length) box.append(node("p", `Cited: ${turn.citations.map((c) => c.title).join("; ")}`, "muted"));
    turn.votes.forEach((v) => box.append(node("p", `${v.helpful ? "👍 helpful" : "👎 not helpful"}${v.comment ? `: “${v.comment}”` : ""}`)));
    return box;
  }
  async function openReview(queryId) {
    const response = await fetch(`/api/insights/queries/${encodeURIComponent(queryId)}`, { headers: headers() });
    if (!response.ok) return say(await problem(response), true);
    const found = await response.json();
    reviewBody.replaceChildren(...found.conversation.map((t) => turnView(t, t.id === found.id)));
    reviewDialog.showModal();
  }

  // Propose and approve: post, reload the digest, say what happened (or why not).
  async function send(button, path, body, message) {
    if (!sessionStorage.getItem(KEY)) return askForKey("Enter a facilitator key first.");
    button.disabled = true;
    const response = await fetch(path, {
      method: "POST", headers: { ...headers(), "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    if (!response.ok) {
      button.disabled = false;
      return say(await problem(response), true);
    }
    const done = await response.json();
    await load();
    say(message(done));
  }
  if (!digest.children.length) load();
})();
