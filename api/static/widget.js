/* Peer Assist chat widget. One tag adds it to any page:
 *   <script src="https://HOST/widget.js" data-key="PUBLIC_KEY" defer></script>
 * No framework. Everything from the server (answers, quotes, document text) is rendered
 * with textContent, never as HTML, so a document containing <script> cannot run. */
(function () {
  "use strict";
  var script = document.currentScript;
  var KEY = script.getAttribute("data-key") || "";
  var BASE = new URL(script.src, location.href).origin;
  var store = window.sessionStorage;
  /* The anonymous asker id lives in localStorage: a question handed to the community is found again on the next visit. */
  var kept = window.localStorage;
  var clientId = kept.getItem("pa-client") || store.getItem("pa-client") || (Math.random().toString(36).slice(2) + Date.now().toString(36));
  kept.setItem("pa-client", clientId);
  var conversationId = store.getItem("pa-conversation");

  var css = [
    ".pa-fab{position:fixed;right:20px;bottom:20px;z-index:2147483000;border:0;border-radius:28px;padding:14px 20px;",
    "background:#0b5cad;color:#fff;font:600 15px system-ui,sans-serif;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}",
    ".pa-fab:focus-visible,.pa-panel button:focus-visible,.pa-panel a:focus-visible,.pa-input:focus-visible{outline:3px solid #f5a623;outline-offset:2px}",
    ".pa-panel{position:fixed;right:20px;bottom:84px;z-index:2147483000;width:min(400px,calc(100vw - 24px));height:min(600px,calc(100vh - 110px));",
    "display:flex;flex-direction:column;background:#fff;color:#1d1d1d;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);font:14px/1.45 system-ui,sans-serif;overflow:hidden}",
    ".pa-panel[hidden],.pa-doc[hidden]{display:none}",
    ".pa-head{display:flex;align-items:center;gap:8px;padding:10px 12px;background:#0b5cad;color:#fff}",
    ".pa-head h2{flex:1;margin:0;font-size:15px}.pa-head button{background:transparent;border:1px solid #fff;color:#fff;border-radius:6px;padding:4px 8px;cursor:pointer}",
    ".pa-log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:10px}",
    ".pa-msg{padding:8px 10px;border-radius:8px;max-width:92%;white-space:pre-wrap;word-wrap:break-word}",
    ".pa-q{align-self:flex-end;background:#e3eefa}.pa-a{align-self:flex-start;background:#f3f3f3}",
    ".pa-notfound{background:#fff4e5;border:1px solid #f0b35a}",
    ".pa-retracted{margin-top:6px;font-size:12px;color:#666}.pa-retracted p{text-decoration:line-through;margin:4px 0}",
    ".pa-cite{color:#0b5cad;font-weight:600;text-decoration:underline;cursor:pointer;background:none;border:0;padding:0;font:inherit}",
    ".pa-sources{margin:6px 0 0;padding-left:18px;font-size:13px}.pa-votes{margin-top:6px;display:flex;gap:6px}",
    ".pa-votes button{border:1px solid #bbb;background:#fff;border-radius:6px;cursor:pointer;padding:2px 8px}",
    ".pa-votes button[aria-pressed=true]{background:#0b5cad;color:#fff}",
    ".pa-form{display:flex;gap:6px;padding:10px;border-top:1px solid #ddd}.pa-input{flex:1;padding:8px;border:1px solid #aaa;border-radius:6px;font:inherit}",
    ".pa-form button{padding:8px 12px;border:0;border-radius:6px;background:#0b5cad;color:#fff;cursor:pointer}",
    ".pa-doc{position:absolute;inset:0;background:#fff;display:flex;flex-direction:column}",
    ".pa-doc-body{overflow-y:auto;padding:12px}.pa-passage{padding:6px;border-radius:6px;white-space:pre-wrap}",
    ".pa-passage.pa-hit{background:#fff3a8;outline:2px solid #e0c200}.pa-section{font-size:12px;color:#666;margin-top:8px}",
    ".pa-onboarding h3{font-size:14px;margin:12px 0 4px}.pa-onboarding ul,.pa-onboarding ol{padding-left:18px;margin:0}",
    ".pa-glossary dd{margin:0 0 6px 0;font-size:13px}.pa-glossary{margin-top:8px}",
    ".pa-structured{white-space:normal}.pa-part{margin:0 0 6px}ul.pa-part,ol.pa-part{padding-left:20px}",
    ".pa-also{border-left:3px solid #0b5cad;padding-left:8px}.pa-also-label{font-weight:600}",
    ".pa-handoff{margin-top:8px;display:flex;flex-direction:column;gap:6px;white-space:normal}.pa-handoff label{font-size:13px}",
    ".pa-handoff button{align-self:flex-start;padding:5px 10px;border:0;border-radius:6px;background:#0b5cad;color:#fff;cursor:pointer}",
    ".pa-community{background:#eaf6ec;border:1px solid #7cc08a;white-space:normal}"
  ].join("");

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var style = el("style"); style.textContent = css; document.head.appendChild(style);
  var fab = el("button", { "class": "pa-fab", "aria-haspopup": "dialog", "aria-expanded": "false", "aria-controls": "pa-panel" }, "Ask the community");
  var panel = el("section", { "class": "pa-panel", id: "pa-panel", role: "dialog", "aria-label": "Peer Assist chat", hidden: "" });
  var head = el("div", { "class": "pa-head" });
  head.appendChild(el("h2", {}, "Peer Assist"));
  var newHere = el("button", { type: "button", "class": "pa-newhere" }, "New here?");
  var close = el("button", { type: "button", "aria-label": "Close chat" }, "✕");
  head.appendChild(newHere); head.appendChild(close);
  var log = el("div", { "class": "pa-log", role: "log", "aria-live": "polite", "aria-label": "Conversation" });
  var form = el("form", { "class": "pa-form" });
  var input = el("input", { "class": "pa-input", type: "text", maxlength: "1000", "aria-label": "Your question", placeholder: "Ask a question…" });
  form.appendChild(input); form.appendChild(el("button", { type: "submit" }, "Ask"));
  var doc = el("div", { "class": "pa-doc", role: "region", "aria-label": "Cited document", hidden: "" });
  panel.appendChild(head); panel.appendChild(log); panel.appendChild(form); panel.appendChild(doc);
  document.body.appendChild(fab); document.body.appendChild(panel);

  function toggle(open) {
    panel.hidden = !open; fab.setAttribute("aria-expanded", String(open));
    if (open) input.focus(); else fab.focus();
  }
  fab.addEventListener("click", function () { toggle(panel.hidden); });
  close.addEventListener("click", function () { toggle(false); });
  panel.addEventListener("keydown", function (e) { if (e.key === "Escape") { if (!doc.hidden) closeDoc(); else toggle(false); } });
  newHere.addEventListener("click", openOnboarding);
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var q = input.value.trim(); if (q) { input.value = ""; ask(q); }
  });

  function api(path, options) {
    options = options || {};
    options.headers = Object.assign({ "Authorization": "Bearer " + KEY }, options.headers || {});
    return fetch(BASE + path, options);
  }

  function say(cls, text) {
    var node = el("div", { "class": "pa-msg " + cls }, text);
    log.appendChild(node); log.scrollTop = log.scrollHeight;
    return node;
  }

  /* Answer text with each [n] made a link that opens citation n. */
  /* Text with each [n] made a link that opens citation n. */
  function appendCited(node, text, byN) {
    text.split(/(\[\d+\])/).forEach(function (part) {
      var m = /^\[(\d+)\]$/.exec(part);
      if (m && byN[m[1]]) {
        var link = el("button", { type: "button", "class": "pa-cite", "aria-label": "Source " + m[1] + ": " + byN[m[1]].title }, part);
        link.addEventListener("click", function () { openDoc(byN[m[1]].doc_id, byN[m[1]].chunk_id); });
        node.appendChild(link);
      } else {
        node.appendChild(document.createTextNode(part));
      }
    });
  }

  /* The answer as paragraphs and lists when its parts are known, else as its plain text. */
  function renderAnswer(node, text, citations, parts) {
    node.textContent = "";
    var byN = {}; citations.forEach(function (c) { byN[c.n] = c; });
    if (!parts || !parts.length) { appendCited(node, text, byN); return; }
    node.classList.add("pa-structured");
    parts.forEach(function (part) {
      var block = el(part.type === "list" ? (part.ordered ? "ol" : "ul") : "p", { "class": "pa-part" + (part.also ? " pa-also" : "") });
      // (a list that is a second source follows the paragraph that says "Also:" and names it)
      if (part.also && part.type !== "list") block.appendChild(el("span", { "class": "pa-also-label" }, "Also: "));
      part.lines.forEach(function (line, i) {
        var target = part.type === "list" ? el("li") : block;
        var sep = part.type === "list" || i === 0 ? "" : " ";
        appendCited(target, sep + line.text + " [" + line.n + "]", byN);
        if (target !== block) block.appendChild(target);
      });
      node.appendChild(block);
    });
  }

  function sourceList(items, label) {
    var wrap = el("div");
    wrap.appendChild(el("div", { "class": "pa-section" }, label));
    var list = el("ol", { "class": "pa-sources" });
    items.forEach(function (s) {
      var li = el("li");
      var where = !s.section || s.section === s.title ? s.title
        : (s.section.indexOf(s.title) === 0 ? s.section : s.title + " > " + s.section).split(" > ").join(" › ");
      var link = el("button", { type: "button", "class": "pa-cite" }, where + (s.page ? " (p. " + s.page + ")" : ""));
      link.addEventListener("click", function () { openDoc(s.doc_id, s.chunk_id); });
      li.appendChild(link); list.appendChild(li);
    });
    wrap.appendChild(list);
    return wrap;
  }

  function votes(queryId) {
    var box = el("div", { "class": "pa-votes", role: "group", "aria-label": "Was this helpful?" });
    [["👍 Yes", true, "Helpful"], ["👎 No", false, "Not helpful"]].forEach(function (v) {
      var b = el("button", { type: "button", "aria-label": v[2], "aria-pressed": "false" }, v[0]);
      b.addEventListener("click", function () {
        api("/api/feedback", { method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ query_id: queryId, helpful: v[1], client_id: clientId }) })
          .then(function (r) { if (r.ok) box.querySelectorAll("button").forEach(function (x) { x.setAttribute("aria-pressed", String(x === b)); }); });
      });
      box.appendChild(b);
    });
    return box;
  }

  function ask(question) {
    say("pa-q", question);
    var bubble = say("pa-a", "…");
    var text = "", citations = [], related = [], parts = [], retracted = [];
    api("/api/ask/stream", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ question: question, conversation_id: conversationId, client_id: clientId }) })
      .then(function (response) {
        if (!response.ok) return response.json().then(function (b) { throw new Error(b.detail || response.statusText); });
        var reader = response.body.getReader(), decoder = new TextDecoder(), buffer = "";
        function pump() {
          return reader.read().then(function (chunk) {
            if (chunk.done) return;
            buffer += decoder.decode(chunk.value, { stream: true });
            var events = buffer.split(/\r?\n\r?\n/); buffer = events.pop();
            events.forEach(function (raw) {
              var name = "message", data = "";
              raw.split(/\r?\n/).forEach(function (line) {
                if (line.indexOf("event:") === 0) name = line.slice(6).trim();
                else if (line.indexOf("data:") === 0) data += line.slice(5).trim();
              });
              if (!data) return;
              var payload = JSON.parse(data);
              if (name === "answer") { text += payload.text; bubble.textContent = text; }
              else if (name === "checked") { text = payload.text; bubble.textContent = text; }
              else if (name === "retracted") retracted.push(payload);
              else if (name === "citations") citations = payload;
              else if (name === "parts") parts = payload;
              else if (name === "related") related = payload;
              else if (name === "done") finish(payload);
            });
            log.scrollTop = log.scrollHeight;
            return pump();
          });
        }
        return pump();
      })
      .catch(function (err) { bubble.textContent = "Sorry, something went wrong: " + err.message; });

    function finish(done) {
      conversationId = done.conversation_id; store.setItem("pa-conversation", conversationId);
      renderAnswer(bubble, text.trim(), citations, parts);
      if (done.answered) {
        bubble.appendChild(sourceList(citations, "Sources"));
        if (retracted.length) {
          /* The assistant wrote these, and the check against the documents removed them. */
          var removed = el("details", { "class": "pa-retracted" });
          removed.appendChild(el("summary", {}, "Removed by the source check (" + retracted.length + ")"));
          retracted.forEach(function (r) { removed.appendChild(el("p", {}, r.sentence + " — " + r.reason)); });
          bubble.appendChild(removed);
        }
      } else {
        bubble.classList.add("pa-notfound");
        if (related.length) bubble.appendChild(sourceList(related, "These might help:"));
        bubble.appendChild(handOff(done.query_id));
      }
      bubble.appendChild(votes(done.query_id));
    }
  }

  /* A not-found answer can go to people: a line of context, and how to be told when it is answered. */
  function handOff(queryId) {
    var box = el("form", { "class": "pa-handoff", "aria-label": "Ask the community" });
    var open = el("button", { type: "button", "class": "pa-handoff-open" }, "Ask the community");
    box.appendChild(open);
    open.addEventListener("click", function () {
      open.remove();
      var context = el("input", { "class": "pa-input", type: "text", maxlength: "1000", name: "context", placeholder: "Add a line of context (optional)", "aria-label": "Context for the people answering" });
      var choice = el("select", { "class": "pa-input", name: "notify", "aria-label": "How to tell you" });
      [["widget", "Show me the answer here next time"], ["email", "Email me the answer"], ["", "Don't tell me"]].forEach(function (o) {
        choice.appendChild(el("option", { value: o[0] }, o[1]));
      });
      var email = el("input", { "class": "pa-input", type: "email", name: "email", placeholder: "you@example.org", "aria-label": "Your email address", hidden: "" });
      choice.addEventListener("change", function () { email.hidden = choice.value !== "email"; });
      var send = el("button", { type: "submit" }, "Send to the community");
      [context, choice, email, send].forEach(function (n) { box.appendChild(n); });
      context.focus();
    });
    box.addEventListener("submit", function (e) {
      e.preventDefault();
      var notify = box.elements.notify.value === "email" ? box.elements.email.value.trim() : box.elements.notify.value;
      api("/api/questions", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ query_id: queryId, context: box.elements.context.value.trim() || null, notify: notify || null, client_id: clientId }) })
        .then(function (r) { return r.json().then(function (b) { if (!r.ok) throw new Error(b.detail && b.detail.map ? b.detail.map(function (d) { return d.msg; }).join("; ") : b.detail); }); })
        .then(function () { box.replaceChildren(el("p", { "class": "pa-section", role: "status" }, "Sent to the community. " + (notify ? "You'll be told when someone answers." : "A facilitator will see it."))); })
        .catch(function (err) { box.appendChild(el("p", { "class": "pa-section", role: "alert" }, "Could not send: " + err.message)); });
    });
    return box;
  }

  /* Answers the community approved since the last visit, for questions this browser handed off. */
  function showCommunityAnswers() {
    var seen = kept.getItem("pa-seen-answers") || "";
    api("/api/questions?status=answered&client_id=" + encodeURIComponent(clientId)).then(function (r) {
      return r.ok ? r.json() : [];
    }).then(function (questions) {
      var latest = seen;
      questions.filter(function (q) { return q.answered_at > seen; }).reverse().forEach(function (q) {
        var approved = q.answers.filter(function (a) { return a.status === "approved"; })[0];
        if (!approved) return;
        var node = say("pa-a pa-community", "");
        node.appendChild(el("strong", {}, "The community answered your question “" + q.question + "”"));
        node.appendChild(el("p", {}, approved.text));
        node.appendChild(el("div", { "class": "pa-section" }, "Answered by " + approved.author + (approved.approved_by ? ", approved by " + approved.approved_by : "")));
        if (q.answer_doc_id) {
          var link = el("button", { type: "button", "class": "pa-cite" }, "Open it as a document");
          link.addEventListener("click", function () { openDoc(q.answer_doc_id, null); });
          node.appendChild(link);
        }
        if (q.answered_at > latest) latest = q.answered_at;
      });
      if (latest !== seen) kept.setItem("pa-seen-answers", latest);
    }).catch(function () { /* offline or no key: nothing to show */ });
  }
  var checkedAnswers = false;
  fab.addEventListener("click", function () { if (!checkedAnswers) { checkedAnswers = true; showCommunityAnswers(); } });

  /* "New here?": the reading path, a searchable glossary, and starter questions (clicking asks). */
  function openOnboarding() {
    doc.textContent = ""; doc.hidden = false;
    var bar = el("div", { "class": "pa-head" });
    bar.appendChild(el("h2", {}, "New here? Start with these"));
    var back = el("button", { type: "button", "aria-label": "Back to the conversation" }, "← Back");
    back.addEventListener("click", closeDoc);
    bar.appendChild(back); doc.appendChild(bar);
    var body = el("div", { "class": "pa-doc-body pa-onboarding" }); doc.appendChild(body);
    body.appendChild(el("p", {}, "Loading…"));
    back.focus();
    api("/api/onboarding").then(function (r) {
      if (!r.ok) throw new Error("onboarding is not available");
      return r.json();
    }).then(function (guide) {
      body.textContent = "";
      body.appendChild(el("h3", {}, "Good first questions"));
      var starters = el("ul", { "class": "pa-starters" });
      guide.starter_questions.forEach(function (s) {
        var li = el("li"), b = el("button", { type: "button", "class": "pa-cite" }, s.question);
        b.addEventListener("click", function () { closeDoc(); ask(s.question); });
        li.appendChild(b); starters.appendChild(li);
      });
      body.appendChild(starters);

      body.appendChild(el("h3", {}, "Where to start"));
      var path = el("ol", { "class": "pa-path" });
      guide.path.forEach(function (p) {
        var li = el("li"), b = el("button", { type: "button", "class": "pa-cite" }, p.title);
        b.addEventListener("click", function () { openDoc(p.doc_id, null); });
        li.appendChild(b); li.appendChild(el("div", { "class": "pa-section" }, p.summary)); path.appendChild(li);
      });
      body.appendChild(path);

      body.appendChild(el("h3", {}, "Our vocabulary"));
      var search = el("input", { "class": "pa-input", type: "search", "aria-label": "Search the glossary", placeholder: "Search terms…" });
      var terms = el("dl", { "class": "pa-glossary" });
      function showTerms() {
        var needle = search.value.trim().toLowerCase();
        terms.textContent = "";
        guide.glossary.filter(function (g) {
          return !needle || g.term.toLowerCase().indexOf(needle) >= 0 || g.definition.toLowerCase().indexOf(needle) >= 0;
        }).forEach(function (g) {
          var dt = el("dt"), b = el("button", { type: "button", "class": "pa-cite" }, g.term);
          b.addEventListener("click", function () { openDoc(g.doc_id, g.chunk_id); });
          dt.appendChild(b); terms.appendChild(dt); terms.appendChild(el("dd", {}, g.definition));
        });
      }
      search.addEventListener("input", showTerms);
      body.appendChild(search); body.appendChild(terms); showTerms();
    }).catch(function (err) { body.textContent = err.message; });
  }

  function closeDoc() { doc.hidden = true; doc.textContent = ""; input.focus(); }

  function openDoc(docId, chunkId) {
    doc.textContent = ""; doc.hidden = false;
    var bar = el("div", { "class": "pa-head" });
    var title = el("h2", {}, "Loading…");
    var back = el("button", { type: "button", "aria-label": "Back to the conversation" }, "← Back");
    back.addEventListener("click", closeDoc);
    bar.appendChild(title); bar.appendChild(back); doc.appendChild(bar);
    var body = el("div", { "class": "pa-doc-body" }); doc.appendChild(body);
    back.focus();
    api("/api/documents/" + encodeURIComponent(docId)).then(function (r) {
      if (!r.ok) throw new Error("document not available");
      return r.json();
    }).then(function (d) {
      title.textContent = d.title;
      var lastSection = null, target = null;
      d.passages.forEach(function (p) {
        if (p.section !== lastSection) { body.appendChild(el("div", { "class": "pa-section" }, p.section + (p.page ? " · page " + p.page : ""))); lastSection = p.section; }
        var node = el("p", { "class": "pa-passage", id: "pa-" + p.chunk_id }, p.text);
        if (p.chunk_id === chunkId) { node.classList.add("pa-hit"); node.setAttribute("aria-current", "true"); target = node; }
        body.appendChild(node);
      });
      if (target) target.scrollIntoView({ block: "center" });
    }).catch(function (err) { title.textContent = err.message; });
  }
})();
